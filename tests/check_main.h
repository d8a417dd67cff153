/*
 * The main() of every Check suite: runs the suite its file defines
 * (CK_VERBOSITY from the environment) and exits with failure if any test
 * failed.  Each suite file defines `static Suite *suite(void)` and
 * includes this header after it.
 */
#ifndef SVD_CHECK_MAIN_H
#define SVD_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
