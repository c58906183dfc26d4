/* Operator log: one key=value line per event, stderr and optionally syslog. */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

void	log_init(const char *ident, int use_syslog, int debug);
void	log_set_buffered(int);
void	log_flush(void);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void	fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
