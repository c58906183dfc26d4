/*
 * clock: the wall clock and the monotonic clock, a leaf with no state.
 */
#include <time.h>

#include "clock.h"

/*
 * Two clocks. The wall clock says what time it is for people: timestamps,
 * quiet hours, due dates. It can jump (NTP, a clerk fixing the date), so
 * every interval the daemon waits out (response timeouts, enquire_link,
 * retry delays, the send rate) is measured on the monotonic clock, which
 * a jump does not move.
 */
int64_t
clock_wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
clock_mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
