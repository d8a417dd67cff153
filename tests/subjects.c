#include "subjects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void subjects_add(struct subjects *s, const void *p, size_t n)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v)
			abort();
	}
	s->v[s->n].p = malloc(n + 1);
	if (!s->v[s->n].p)
		abort();
	memcpy(s->v[s->n].p, p, n);
	s->v[s->n].p[n] = 0;
	s->v[s->n++].n = n;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* recog's example_text_escaped: \xHH, \r, \n, \t, \\ */
static size_t unescape(unsigned char *o, const char *s)
{
	size_t n = 0;

	while (*s) {
		if (s[0] == '\\' && s[1] == 'x' && hexval(s[2]) >= 0 && hexval(s[3]) >= 0) {
			o[n++] = (unsigned char)(hexval(s[2]) << 4 | hexval(s[3]));
			s += 4;
		} else if (s[0] == '\\' && (s[1] == 'r' || s[1] == 'n' || s[1] == 't' || s[1] == '\\')) {
			o[n++] = s[1] == 'r' ? '\r' : s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : '\\';
			s += 2;
		} else {
			o[n++] = (unsigned char)*s++;
		}
	}
	return n;
}

bool subjects_add_recog(struct subjects *s, const char *path)
{
	static char line[1 << 17];
	static unsigned char raw[1 << 17], buf[1 << 17];
	static const char head[] = "HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 10:00:00 GMT\r\nServer: ";
	static const char tail[] = "\r\nContent-Type: text/html\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n";
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return false;
	}
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		size_t n;

		if (!tab || strncmp(line, "recog_file\t", 11) == 0)
			continue;
		tab[1 + strcspn(tab + 1, "\n")] = '\0';
		n = unescape(raw, tab + 1);
		subjects_add(s, raw, n);
		memcpy(buf, raw, n);
		memcpy(buf + n, "\r\n", 2);
		subjects_add(s, buf, n + 2);
		memcpy(buf, head, sizeof head - 1);
		memcpy(buf + sizeof head - 1, raw, n);
		memcpy(buf + sizeof head - 1 + n, tail, sizeof tail - 1);
		subjects_add(s, buf, sizeof head - 1 + n + sizeof tail - 1);
	}
	fclose(f);
	return true;
}

bool subjects_add_file(struct subjects *s, const char *path)
{
	static unsigned char buf[1 << 20];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return false;
	}
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n)
		subjects_add(s, buf, n);
	return true;
}

void subjects_free(struct subjects *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].p);
	free(s->v);
	memset(s, 0, sizeof *s);
}
