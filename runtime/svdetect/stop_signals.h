/*
 * SIGINT, SIGTERM and SIGHUP as requests to stop a scan: the first one
 * caught makes a descriptor readable (a self-pipe the event loop
 * watches), so the scan can end cleanly and write what it found; any of
 * them 200 ms or more after that ends the process at once, by the
 * signal's default action, even if the program is stuck (a write to a
 * full pipe).  Sooner, it is the same request sent twice (timeout(1)
 * signals the process and its group).
 */
#ifndef SVD_STOP_SIGNALS_H
#define SVD_STOP_SIGNALS_H

/* Installs the handlers.  Returns the pipe's read end, or -1 (errno set). */
int svd_stop_signals_catch(void);

/* The signal caught (emptying the pipe), or 0 when none was. */
int svd_stop_signals_caught(void);

/* "SIGINT", "SIGTERM" or "SIGHUP". */
const char *svd_stop_signal_name(int signo);

#endif
