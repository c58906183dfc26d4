/*
 * casecsv: the day's case list exported by the provincial case-handling
 * system (or the national portal) as CSV, read for an import. Pure: the
 * caller holds the file in memory; nothing here allocates.
 *
 * The reader (casecsv_open, casecsv_next) takes RFC 4180 CSV as
 * spreadsheets write it: UTF-8 with or without a BOM, comma, semicolon or
 * tab (whichever the header line has most of, outside quotes), CRLF or LF
 * (or a lone CR), quoted fields with the delimiter, quotes ("") and line
 * breaks inside. Each record carries its row number as a spreadsheet shows
 * it: the header is row 1, a record with a line break inside a quoted
 * field is still one row, and an empty line is a row too (skipped).
 *
 * The column map (casecsv_map_parse, casecsv_map_defaults) says which
 * header means which field, what each status word means and, optionally,
 * which of the office's procedures a portal procedure code is. Headers
 * and words are compared folded: case, diacritics and spacing ignored.
 *
 * casecsv_check checks one record's fields and names each problem with
 * the column's header as written in the file.
 */
#ifndef CASECSV_H
#define CASECSV_H

#include <stddef.h>

#include "msisdn.h"

struct procedures;

#define CASECSV_FIELDS_MAX	64		/* columns a record may have */
#define CASECSV_RECORD_MAX	(64 * 1024)	/* bytes of one record's fields */
#define CASECSV_MAP_MAX		96		/* entries of each map */
#define CASECSV_KEY_MAX		96		/* a folded header or word */
#define CASECSV_CODE_MAX	48
#define CASECSV_NAME_MAX	128

struct casecsv {
	const char	*buf;
	size_t		 len, off;
	char		 delim;		/* ',' ';' or '\t' */
	int		 row;		/* of the record read last */
};

struct casecsv_rec {
	int		 row;		/* as a spreadsheet numbers it */
	int		 nfields;
	int		 blank;		/* an empty line, or only delimiters */
	const char	*field[CASECSV_FIELDS_MAX];
};

/* The fields an import knows. */
enum casecsv_field {
	CASECSV_CODE, CASECSV_PROCEDURE, CASECSV_NAME, CASECSV_MSISDN,
	CASECSV_RECEIVED, CASECSV_DUE, CASECSV_STATUS, CASECSV_NFIELDS,
	CASECSV_IGNORE = -1,
};

struct casecsv_map {
	struct {
		char	key[CASECSV_KEY_MAX];	/* folded header */
		int	field;			/* enum casecsv_field */
	}		 col[CASECSV_MAP_MAX];
	int		 ncol;
	struct {
		char	key[CASECSV_KEY_MAX];	/* folded status word */
		int	status;			/* portal sync code */
	}		 st[CASECSV_MAP_MAX];
	int		 nst;
	struct {
		char	key[CASECSV_KEY_MAX];	/* folded portal code */
		char	proc[8];		/* the office's code */
	}		 proc[CASECSV_MAP_MAX];
	int		 nproc;
};

/* Which column holds each field (-1: none), and its header as written
 * (pointing into the header record: copy it to keep it); alt is the next
 * column mapped to the field, read when the first is empty ("Mã thủ tục"
 * empty, "Thủ tục" given). */
struct casecsv_cols {
	int		 idx[CASECSV_NFIELDS];
	int		 alt[CASECSV_NFIELDS];
	const char	*header[CASECSV_NFIELDS];
	const char	*alt_header[CASECSV_NFIELDS];
};

struct casecsv_when {
	int	y, m, d, hh, mi, ss;
	int	has_time;
};

/* One record's fields, checked. */
struct casecsv_row {
	int			row;
	char			code[CASECSV_CODE_MAX];
	char			canon[CASECSV_CODE_MAX];
	char			procedure[8];	/* "": not given */
	char			msisdn[MSISDN_MAX];	/* "": not given */
	char			name[CASECSV_NAME_MAX];
	int			status;
	int			has_received;
	struct casecsv_when	received;
	char			due[11];	/* YYYY-MM-DD, "": not given */
};

struct casecsv_err {
	int		 field;		/* enum casecsv_field, -1 the row */
	const char	*header;	/* the column as written, or "" */
	char		 reason[192];
};

/* What casecsv_check needs besides the record. */
struct casecsv_ctx {
	const struct casecsv_map	*map;
	const struct procedures		*procs;
	const char			*country_code;	/* [sms] country_code */
};

/* Reads the header line's delimiter; skips a BOM. */
void	casecsv_open(struct casecsv *, const char *buf, size_t len);
/*
 * The next record, its fields written into scratch (each NUL-ended):
 * 1 a record, 0 the end, -1 a record in error (*errstr says why; the
 * reader has gone past it, so reading goes on).
 */
int	casecsv_next(struct casecsv *, struct casecsv_rec *, char *scratch,
	    size_t cap, const char **errstr);

/* The built-in map (the national portal's headers and status words),
 * added after what is there: entries read from a file come first. */
void	casecsv_map_defaults(struct casecsv_map *);
/*
 * An import.map file: `[columns]` `header text = field` lines (code,
 * procedure, name, msisdn, received, due, status, or - to ignore it),
 * `[statuses]` `word = status` (a status name or its portal code) and
 * `[procedures]` `portal code = office code`; `#` starts a comment line.
 * 0, or -1 with "name:line: message" in err.
 */
int	casecsv_map_parse(const char *name, const char *text,
	    struct casecsv_map *, char *err, size_t errlen);
/* The field names of the map file, by enum casecsv_field. */
const char *casecsv_field_name(int);

/*
 * Maps a header record onto fields: 0, or -1 with err saying which
 * required column (the code, the status) is missing, or which field two
 * columns both claim.
 */
int	casecsv_header(const struct casecsv_map *, const struct casecsv_rec *,
	    struct casecsv_cols *, char *err, size_t errlen);
/* The status a word means (a status name, a portal code, a mapped word);
 * 0 when none. */
int	casecsv_status(const struct casecsv_map *, const char *);
/* DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY or YYYY-MM-DD, a time HH:MM[:SS]
 * optional after a space or a T; 0 or -1. */
int	casecsv_when(const char *, struct casecsv_when *);
/*
 * Checks one data record: the number of problems (0: *out is good), at
 * most max of them written to errs. A procedure is checked when given;
 * whether a case needs one is the caller's to say.
 */
int	casecsv_check(const struct casecsv_ctx *, const struct casecsv_cols *,
	    const struct casecsv_rec *, struct casecsv_row *out,
	    struct casecsv_err *errs, int max);

#endif
