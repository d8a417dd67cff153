/*
 * Runs pkg-config and the C compiler for svdc (cc.h).  Argument lists are
 * built as words and passed to posix_spawnp: no shell reads them, so file
 * names and flags with any bytes stay single arguments.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc.h"

extern char **environ;

/* Bounds: pkg-config's output, and the words of one command. */
enum { PKG_OUTPUT_MAX = 64 * 1024, WORDS_MAX = 100000 };

/* A command's argv under construction; full or out of memory: failed. */
struct words {
	char **v;
	size_t n, cap;
	bool failed;
};

static void add(struct words *w, const char *s)
{
	char *copy;

	if (w->failed)
		return;
	if (w->n + 2 > w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 32;
		char **v = cap <= WORDS_MAX ? realloc(w->v, cap * sizeof *v) : NULL;

		if (!v) {
			w->failed = true;
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	copy = strdup(s);
	if (!copy) {
		w->failed = true;
		return;
	}
	w->v[w->n++] = copy;
	w->v[w->n] = NULL;
}

/* Adds the blank-separated words of s (no quoting: as make passes $CC). */
static void add_split(struct words *w, const char *s)
{
	char word[PATH_MAX];

	while (*s && !w->failed) {
		size_t len = strspn(s, " \t\n");

		s += len;
		len = strcspn(s, " \t\n");
		if (!len)
			break;
		if (len >= sizeof word) {
			fprintf(stderr, "svdc: a flag of %zu bytes is too long\n", len);
			w->failed = true;
			return;
		}
		memcpy(word, s, len);
		word[len] = '\0';
		add(w, word);
		s += len;
	}
}

static void words_free(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
}

/* Waits for pid; true if it exited with 0, else says how it ended. */
static bool waited_ok(pid_t pid, const char *prog)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "svdc: waiting for %s: %s\n", prog, strerror(errno));
			return false;
		}
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return true;
	if (WIFEXITED(st))
		fprintf(stderr, "svdc: %s failed (exit status %d)\n", prog, WEXITSTATUS(st));
	else
		fprintf(stderr, "svdc: %s was killed by signal %d\n", prog, WTERMSIG(st));
	return false;
}

/* Runs argv; with out, its stdout is read into out (at most
 * PKG_OUTPUT_MAX - 1 bytes, a NUL after them). */
static bool run(char *const *argv, char *out)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none;
	int fds[2] = { -1, -1 }, err;
	size_t len = 0;
	bool ok = true;
	pid_t pid;

	if (out && pipe(fds) < 0) {
		fprintf(stderr, "svdc: pipe: %s\n", strerror(errno));
		return false;
	}
	posix_spawn_file_actions_init(&fa);
	if (out) {
		posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
		posix_spawn_file_actions_addclose(&fa, fds[0]);
		posix_spawn_file_actions_addclose(&fa, fds[1]);
	}
	/* svdc holds the stop signals while its directory exists
	 * (build_set.h); the program gets them as usual. */
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (out)
		close(fds[1]);
	if (err) {
		fprintf(stderr, "svdc: cannot run %s: %s\n", argv[0], strerror(err));
		if (out)
			close(fds[0]);
		return false;
	}
	if (out) {
		/* Read to the end; beyond the bound, output is an error (and
		 * the child, its pipe closed, gets SIGPIPE). */
		for (;;) {
			char buf[4096];
			ssize_t r = read(fds[0], buf, sizeof buf);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (len + (size_t)r >= PKG_OUTPUT_MAX) {
				ok = false;
				break;
			}
			memcpy(out + len, buf, (size_t)r);
			len += (size_t)r;
		}
		out[len] = '\0';
		close(fds[0]);
		if (!ok)
			fprintf(stderr, "svdc: %s wrote more than %d bytes\n", argv[0], PKG_OUTPUT_MAX);
	}
	return waited_ok(pid, argv[0]) && ok;
}

/* Whether this svdc is the build tree's: its program is in SVD_BUILDDIR. */
static bool in_build_tree(void)
{
	char exe[PATH_MAX], dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0 || !realpath(SVD_BUILDDIR, dir))
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return strcmp(exe, dir) == 0;
}

/*
 * Points pkg-config at the runtime svdc belongs to: the build tree's
 * uninstalled .pc first, or the installed one after the user's paths.
 */
static bool set_pkg_config_path(void)
{
	const char *old = getenv("PKG_CONFIG_PATH");
	bool build = in_build_tree();
	const char *dir = build ? SVD_BUILDDIR : SVD_PKGCONFIGDIR;
	size_t len = strlen(dir) + (old ? strlen(old) : 0) + 2;
	char *path = malloc(len);
	int rc;

	if (!path)
		return false;
	if (!old || !*old)
		snprintf(path, len, "%s", dir);
	else if (build)
		snprintf(path, len, "%s:%s", dir, old);
	else
		snprintf(path, len, "%s:%s", old, dir);
	rc = setenv("PKG_CONFIG_PATH", path, 1);
	free(path);
	return rc == 0;
}

/* The runtime's flags for link, appended to w. */
static bool add_runtime_flags(struct words *w, enum cc_link link)
{
	struct words pc = { 0 };
	const char *prog = getenv("PKG_CONFIG");
	char *out = malloc(PKG_OUTPUT_MAX);
	bool ok;

	add(&pc, prog && *prog ? prog : SVD_PKG_CONFIG);
	add(&pc, "--cflags");
	if (link != CC_SHARED)
		add(&pc, "--libs");
	if (link == CC_STATIC)
		add(&pc, "--static");
	add(&pc, "svdetect");
	ok = out && !pc.failed && set_pkg_config_path() && run(pc.v, out);
	if (ok)
		add_split(w, out);
	else if (out)
		fprintf(stderr, "svdc: no flags for the runtime from pkg-config's svdetect.pc "
			"(PKG_CONFIG_PATH=%s)\n", getenv("PKG_CONFIG_PATH"));
	free(out);
	words_free(&pc);
	return ok;
}

bool cc_build(enum cc_link link, const char *out, char *const *sources, size_t n)
{
	static const char *const link_flags[] = {
		[CC_EXECUTABLE] = SVD_EXPORT_BT,
		[CC_STATIC] = "-static",
		[CC_SHARED] = "-shared -fPIC",
	};
	struct words w = { 0 };
	const char *cc = getenv("CC"), *cflags = getenv("CFLAGS"), *ldflags = getenv("LDFLAGS");
	size_t i;
	bool ok;

	add_split(&w, cc && *cc ? cc : SVD_CC);
	if (!w.n && !w.failed) {
		fprintf(stderr, "svdc: CC names no compiler\n");
		return false;
	}
	add_split(&w, cflags ? cflags : "-O2");
	add_split(&w, link_flags[link]);
	add(&w, "-o");
	add(&w, out);
	for (i = 0; i < n; i++)
		add(&w, sources[i]);
	/* The runtime's libraries after the objects that need them. */
	ok = add_runtime_flags(&w, link);
	if (ldflags)
		add_split(&w, ldflags);
	if (w.failed) {
		fprintf(stderr, "svdc: out of memory, or a command of more than %d words\n",
			WORDS_MAX);
		ok = false;
	}
	ok = ok && run(w.v, NULL);
	words_free(&w);
	return ok;
}
