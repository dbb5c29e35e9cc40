/*
 * run_suite.h - the main() tail every Check suite shares.
 */
#ifndef TT_RUN_SUITE_H
#define TT_RUN_SUITE_H

#include <stdlib.h>

#include <check.h>

/* Runs the suite, prints Check's summary, returns the exit status. */
static inline int tt_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* TT_RUN_SUITE_H */
