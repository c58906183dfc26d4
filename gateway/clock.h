/*
 * The two clocks (gateway/clock.c), a leaf every room may use. The wall
 * clock says what time it is for people: timestamps, quiet hours, due
 * dates; it can jump. Every interval the daemon waits out is measured on
 * the monotonic clock, which a jump does not move.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

int64_t	clock_wall_ms(void);
int64_t	clock_mono_ms(void);

#endif
