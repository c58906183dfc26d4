/*
 * motcua: the staff tool. It talks to the running daemon through the admin
 * API (address and token from the same config file). The API and the
 * subcommands are the staff-side work; until then the tool says so
 * plainly rather than pretending.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void
usage(FILE *f)
{
	fprintf(f, "usage: motcua [-c FILE] COMMAND ...\n"
	    "Commands (talk to the running motcuad through its admin API):\n"
	    "  status, case add|show|set|list, send, contact add|import,\n"
	    "  group show, broadcast create|show|cancel|list, report\n");
}

int
main(int argc, char *argv[])
{
	int	ch;

	while ((ch = getopt(argc, argv, "c:h")) != -1) {
		switch (ch) {
		case 'c':
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "--help") == 0 ||
	    strcmp(argv[optind], "help") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "motcua: %s: the admin API is not served by this "
	    "version of motcuad yet\n", argv[optind]);
	return 1;
}
