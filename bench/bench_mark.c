// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, part 1: what marking a HWPT costs against the size of the
 * iommufd context, through the real ioctl, and the in-kernel baseline (the
 * object walk of the first upstream posting against the series' token
 * xarray) from bench_tokens.ko on the same sizes.
 *
 *   bench_mark [-n N,N,...] [-p pairs] [-r runs] [-k bench_tokens.ko]
 *
 * One context grows through the sizes: one object in ten is a HWPT_PAGING
 * on the mock IOMMU, marked with its own token; the rest are IOAS objects.
 * At each size one more HWPT is marked and cleared "pairs" times, "runs"
 * times over; the median run is reported. Rows go to stdout as
 * "csv:mark,<fields>" for scripts/bench, after a "csv:mark-header," line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include <linux/iommufd.h>
#include "iommufd_test.h"
#include "bench.h"

#define SHARE 10
#define KNOB "/sys/kernel/debug/bench_tokens"

static int iommufd;
static __u32 ioas_id, idev_id;
static unsigned long nr_objects, nr_marked;

static void die(const char *what)
{
	fprintf(stderr, "bench_mark: %s: %s\n", what, strerror(errno));
	exit(1);
}

static __u64 token_of(unsigned long i)
{
	return (i + 1) * 0x9E3779B97F4A7C15ULL;
}


static __u32 ioas_alloc(void)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &cmd))
		die("IOMMU_IOAS_ALLOC");
	nr_objects++;
	return cmd.out_ioas_id;
}

static __u32 hwpt_alloc(void)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.dev_id = idev_id,
		.pt_id = ioas_id,
	};

	if (ioctl(iommufd, IOMMU_HWPT_ALLOC, &cmd))
		die("IOMMU_HWPT_ALLOC");
	nr_objects++;
	return cmd.out_hwpt_id;
}

static int mark(__u32 hwpt_id, __u64 token, __u32 flags)
{
	struct iommu_hwpt_lu_mark_preserve cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.hwpt_id = hwpt_id,
		.hwpt_token = token,
	};

	return ioctl(iommufd, IOMMU_HWPT_LU_MARK_PRESERVE, &cmd);
}

static void setup(void)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};

	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0)
		die("open /dev/iommu");
	ioas_id = ioas_alloc();
	cmd.id = ioas_id;
	if (ioctl(iommufd, IOMMU_TEST_CMD, &cmd))
		die("IOMMU_TEST_OP_MOCK_DOMAIN");
	idev_id = cmd.mock_domain.out_idev_id;
	/* The mock device, its iommufd device and its automatic HWPT */
	nr_objects += 3;
}

/* Grow the context to @n objects, one in SHARE a marked HWPT */
static void grow(unsigned long n)
{
	while (nr_objects < n) {
		if (nr_objects % SHARE == 0) {
			if (mark(hwpt_alloc(), token_of(nr_marked), 0))
				die("IOMMU_HWPT_LU_MARK_PRESERVE");
			nr_marked++;
		} else {
			ioas_alloc();
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median over @runs runs of the ns per mark + clear pair of @hwpt_id */
static __u64 time_pairs(__u32 hwpt_id, unsigned long pairs, unsigned int runs)
{
	__u64 t[64], free_token = token_of(~0UL - 1);
	unsigned long i;
	unsigned int r;

	for (r = 0; r != runs; r++) {
		__u64 t0 = now_ns();

		for (i = 0; i != pairs; i++) {
			if (mark(hwpt_id, free_token, 0))
				die("mark");
			if (mark(hwpt_id, 0, IOMMU_HWPT_LU_MARK_CLEAR))
				die("clear");
		}
		t[r] = (now_ns() - t0) / pairs;
	}
	qsort(t, runs, sizeof(t[0]), cmp_u64);
	return t[runs / 2];
}

/* The in-kernel baseline on the same size: "N marked base_ns ours_ns ..." */
static int kernel_side(unsigned long n, char *out, size_t len)
{
	char buf[32];
	ssize_t got;
	int fd;

	fd = open(KNOB, O_RDWR);
	if (fd < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%lu", n);
	if (write(fd, buf, strlen(buf)) < 0) {
		close(fd);
		return -errno;
	}
	got = pread(fd, out, len - 1, 0);
	close(fd);
	if (got <= 0)
		return -EIO;
	out[got] = 0;
	return 0;
}


int main(int argc, char **argv)
{
	const char *sizes = "1,1000,10000,100000", *ko = NULL;
	unsigned long pairs = 2000, n, kn, kmarked;
	unsigned long long kb_ns, ko_ns, kb_it, ko_it;
	__u64 ours, first = 0, first_k = 0;
	unsigned int runs = 5;
	char *list, *tok, kbuf[160];
	__u32 target;
	int opt;

	while ((opt = getopt(argc, argv, "n:p:r:k:")) != -1) {
		switch (opt) {
		case 'n': sizes = optarg; break;
		case 'p': pairs = strtoul(optarg, NULL, 0); break;
		case 'r': runs = strtoul(optarg, NULL, 0); break;
		case 'k': ko = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-n N,...] [-p pairs] [-r runs] [-k ko]\n",
				argv[0]);
			return 2;
		}
	}
	if (!pairs || !runs || runs > 64)
		return 2;
	if (ko)
		load_module(ko);
	setup();
	target = hwpt_alloc();

	printf("csv:mark-header,n_target,objects,marked,ours_ns,ours_ratio,kernel_n,kernel_marked,walk_ns,xa_ns,walk_over_xa,walk_iters,xa_iters\n");
	list = strdup(sizes);
	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		n = strtoul(tok, NULL, 0);
		grow(n);
		ours = time_pairs(target, pairs, runs);
		if (!first)
			first = ours;
		/* The kernel side holds exactly as many objects as the context */
		if (kernel_side(nr_objects, kbuf, sizeof(kbuf)) ||
		    sscanf(kbuf, "%lu %lu %llu %llu %llu %llu", &kn, &kmarked,
			   &kb_ns, &ko_ns, &kb_it, &ko_it) != 6) {
			fprintf(stderr, "bench_mark: no result from %s\n", KNOB);
			return 1;
		}
		if (!first_k)
			first_k = ko_ns;
		printf("csv:mark,%lu,%lu,%lu,%llu,%.2f,%lu,%lu,%llu,%llu,%.1f,%llu,%llu\n",
		       n, nr_objects, nr_marked, (unsigned long long)ours,
		       (double)ours / first, kn, kmarked, kb_ns, ko_ns,
		       ko_ns ? (double)kb_ns / ko_ns : 0.0, kb_it, ko_it);
		fflush(stdout);
	}
	free(list);
	close(iommufd);
	if (ko && syscall(SYS_delete_module, "bench_tokens", O_NONBLOCK))
		die("delete_module");
	return 0;
}
