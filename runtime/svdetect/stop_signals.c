#include "stop_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <unistd.h>

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
enum { NSIGNALS = sizeof stop_signals / sizeof *stop_signals };

/* Those ignored when the program started (nohup, `cmd &` in a script) stay so. */
static bool ignored[NSIGNALS];
static volatile sig_atomic_t caught;
static int pipe_fds[2] = { -1, -1 };

/* Only async-signal-safe calls: the handler uses it too. */
static void set_action(void (*handler)(int))
{
	struct sigaction sa;
	int i;

	sa.sa_handler = handler;
	/* Writes that the handler interrupts go on: a stop is not an error. */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NSIGNALS; i++)
		sigaddset(&sa.sa_mask, stop_signals[i]);
	for (i = 0; i < NSIGNALS; i++)
		if (!ignored[i])
			sigaction(stop_signals[i], &sa, NULL);
}

/*
 * A repeat this soon after the first is the same request, not "once
 * more": supervisors such as timeout(1) signal the process and then its
 * process group, microseconds apart, and that must not cost the outputs.
 */
enum { SAME_REQUEST_MS = 200 };
static struct timespec first_at;

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void on_stop_signal(int signo)
{
	int saved = errno;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (caught) {
		if (ms_between(&first_at, &now) >= SAME_REQUEST_MS) {
			/* Once more: the default action, delivered as the
			 * handler returns (the signal is blocked until then). */
			set_action(SIG_DFL);
			raise(signo);
		}
		errno = saved;
		return;
	}
	first_at = now;
	caught = signo;
	if (write(pipe_fds[1], "", 1) < 0) {
		/* Only when the pipe is full, which already says it. */
	}
	errno = saved;
}

int svd_stop_signals_catch(void)
{
	int i;

	if (pipe_fds[0] < 0) {
		if (pipe(pipe_fds) < 0)
			return -1;
		for (i = 0; i < 2; i++) {
			fcntl(pipe_fds[i], F_SETFL, O_NONBLOCK);
			fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
		}
	}
	for (i = 0; i < NSIGNALS; i++) {
		struct sigaction old;

		ignored[i] = sigaction(stop_signals[i], NULL, &old) == 0 &&
			     old.sa_handler == SIG_IGN;
	}
	set_action(on_stop_signal);
	return pipe_fds[0];
}

int svd_stop_signals_caught(void)
{
	char buf[16];

	while (read(pipe_fds[0], buf, sizeof buf) > 0)
		;
	return caught;
}

const char *svd_stop_signal_name(int signo)
{
	switch (signo) {
	case SIGINT: return "SIGINT";
	case SIGTERM: return "SIGTERM";
	case SIGHUP: return "SIGHUP";
	default: return "a signal";
	}
}
