/*
 * Writes one sample scan (tests/output_samples.h) in one format to
 * stdout, for the shell tests: output_sample DATADIR SAMPLE FORMAT.
 */
#include <stdio.h>
#include <stdlib.h>

#include "output_samples.h"

int main(int argc, char **argv)
{
	const struct svd_output_ops *ops;
	struct sample s;
	int rc;

	if (argc != 4 || !(ops = sample_format(argv[3]))) {
		fprintf(stderr, "usage: output_sample DATADIR basic|mixed|open "
			"normal|interactive|xml|grepable|json\n");
		return 2;
	}
	setenv("TZ", "UTC", 1);
	if (sample_build(&s, argv[2], argv[1]) < 0) {
		fprintf(stderr, "output_sample: cannot build sample %s from %s\n",
			argv[2], argv[1]);
		sample_free(&s);
		return 1;
	}
	rc = sample_write(&s, ops, stdout);
	sample_free(&s);
	if (rc < 0) {
		perror("output_sample");
		return 1;
	}
	return 0;
}
