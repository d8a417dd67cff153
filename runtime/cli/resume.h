/*
 * --resume FILE: what an interrupted scan's own output says about it.
 * FILE is svdetect's normal (-oN), grepable (-oG) or JSON-lines (-oJ)
 * output.  Its first line gives the original command line (the text after
 * " as: " of the "# svdetect ... scan initiated" comment, or the JSON
 * "run" line's args); its host records say which hosts are done.
 *
 * Hosts are written in target order, so, as in Nmap, every target up to
 * the last host written before the scan stopped is done, the hosts no
 * output shows (down without -v, hidden by --open) included.  A scan
 * stopped early also writes the hosts it was in the middle of, marked so
 * (docs/output.md); those are scanned again, while the finished hosts
 * written beside them are not.  A file appended to by resumed runs holds
 * one run after another; all of them count.
 */
#ifndef SVD_RESUME_H
#define SVD_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address as a sortable key: the family, then the bytes. */
struct svd_resume_addr {
	unsigned char family;
	unsigned char bytes[16];
};

struct svd_resume {
	int argc;                      /* the original command line */
	char **argv;                   /* (argv[0] the program as then called) */
	char *argbuf;                  /* what argv points into */
	struct svd_resume_addr *done;  /* every host written finished, sorted */
	size_t ndone, cap;
	bool has_last;                 /* some host was written before the stop: */
	struct svd_resume_addr last;   /* the last, the end of the done prefix */
	bool past_last;                /* svd_resume_skip() has met it */
	uint64_t ntargets, nleft;      /* the targets, and those not done */
};

/*
 * Reads path.  Returns 0, or -1 with a one-line message in err (no
 * trailing newline) when the file cannot be read, is not one of the three
 * formats, or is corrupt.  A last line without its newline (the writer
 * was killed) is ignored, and a normal-output host not followed by
 * another or by the run's end is not taken as done.
 */
int svd_resume_read(struct svd_resume *r, const char *path, char *err, size_t errlen);

/* Whether the target sa, met in target order, is done and so skipped. */
bool svd_resume_skip(struct svd_resume *r, const struct sockaddr *sa);

void svd_resume_free(struct svd_resume *r);

#endif
