/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What make bench's programs share. Each program defines die(), which
 * reports in its own output format, before including this.
 */
#ifndef BENCH_H
#define BENCH_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static void die(const char *what);

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Load the workspace module @ko (built against the test kernel) */
static inline void load_module(const char *ko)
{
	int fd = open(ko, O_RDONLY);

	if (fd < 0)
		die(ko);
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST)
		die("finit_module");
	close(fd);
}

#endif
