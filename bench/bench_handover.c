// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, part 2: what handing an iommufd over a live update costs
 * against the memory it maps, beside LUO's memfd handler handing over the
 * same memory.
 *
 *   bench_handover -s 1|2 -k bench_lutime.ko -m MiB -p 4k|thp -w HWPTs
 *
 * Stage 1 (before the kexec): a memfd of -m MiB (4 KiB folios, or 2 MiB
 * shmem THP folios with -p thp), mapped with IOMMU_IOAS_MAP_FILE at IOVA
 * 1 GiB into an IOAS with -w HWPT_PAGING objects of the mock IOMMU, each
 * marked; a LUO session preserves the memfd, then the iommufd (each call
 * timed here). A child holds the session for the kexec.
 * Stage 2 (after it): the session is retrieved, and the kernel retrieves the
 * iommufd with it (and the memfd through the iommufd): that ioctl is where
 * the blackout's work is, timed here as the VMM sees it and split in the
 * kernel by bench_lutime.ko; the memfd and the iommufd are then taken (timed,
 * but by then cheap), and each HWPT is looked up by its token.
 *
 * bench_lutime.ko times what userspace cannot see (the freeze, inside the
 * kexec reboot, and the steps inside each retrieve) and reads the counts the
 * handover carries from the handlers' serialized data. Rows go to stdout:
 * "csv:ho1,..." and "csv:ho2,..." from each stage, and "kt:<stage>,<line>"
 * for each line of the module's debugfs file after the stage's work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <linux/iommufd.h>
#include <linux/liveupdate.h>
#include "iommufd_test.h"
#include "bench.h"

#define KNOB "/sys/kernel/debug/bench_lutime"
#define THP_KNOB "/sys/kernel/mm/transparent_hugepage/shmem_enabled"
#define SESSION "bench-handover"
#define IOVA (1ULL << 30)
#define MEMFD_TOKEN 1
#define IOMMUFD_TOKEN 2
#define MAX_HWPTS 16

static const char *config;

static void die(const char *what)
{
	fprintf(stderr, "bench_handover: %s: %s\n", what, strerror(errno));
	printf("csv:error,%s,%s\n", config ? config : "-", what);
	exit(1);
}


static __u64 hwpt_token(unsigned int i)
{
	return 0x1000 + i;
}


static void write_file(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, what, strlen(what)) < 0)
		die(path);
	close(fd);
}

/* Every line of the module's debugfs file, as "kt:<stage>,<line>" */
static void kernel_side(int stage)
{
	char line[256];
	FILE *f = fopen(KNOB, "r");

	if (!f)
		die(KNOB);
	while (fgets(line, sizeof(line), f))
		printf("kt:%d,%s", stage, line);
	fclose(f);
}

static __u32 ioas_alloc(int iommufd)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	if (ioctl(iommufd, IOMMU_IOAS_ALLOC, &cmd))
		die("IOMMU_IOAS_ALLOC");
	return cmd.out_ioas_id;
}

/* LIVEUPDATE_SESSION_PRESERVE_FD of @fd, timed */
static uint64_t preserve_timed(int session, int fd, __u64 token,
			       const char *what)
{
	struct liveupdate_session_preserve_fd cmd = {
		.size = sizeof(cmd),
		.fd = fd,
		.token = token,
	};
	uint64_t t0 = now_ns();

	if (ioctl(session, LIVEUPDATE_SESSION_PRESERVE_FD, &cmd))
		die(what);
	return now_ns() - t0;
}

/* LIVEUPDATE_SESSION_RETRIEVE_FD of @token into *@fd, timed */
static uint64_t retrieve_timed(int session, __u64 token, int *fd,
			       const char *what)
{
	struct liveupdate_session_retrieve_fd cmd = {
		.size = sizeof(cmd),
		.token = token,
	};
	uint64_t t0 = now_ns();

	if (ioctl(session, LIVEUPDATE_SESSION_RETRIEVE_FD, &cmd))
		die(what);
	*fd = cmd.fd;
	return now_ns() - t0;
}

static void stage1(unsigned long mib, int thp, unsigned int nr_hwpts)
{
	struct iommu_test_cmd mock = {
		.size = sizeof(mock),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
	};
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	__u64 size = (__u64)mib << 20, t0, t_fill, t_map, t_memfd, t_iommufd;
	__u32 ioas_id, hwpt_id[MAX_HWPTS];
	int memfd, iommufd, luo;
	unsigned int i;

	if (thp)
		write_file(THP_KNOB, "always");
	memfd = memfd_create("bench", 0);
	if (memfd < 0 || ftruncate(memfd, size))
		die("memfd");
	t0 = now_ns();
	if (fallocate(memfd, 0, 0, size))
		die("fallocate");
	t_fill = now_ns() - t0;

	iommufd = open("/dev/iommu", O_RDWR);
	if (iommufd < 0)
		die("/dev/iommu");
	ioas_id = ioas_alloc(iommufd);
	mock.id = ioas_id;
	if (ioctl(iommufd, IOMMU_TEST_CMD, &mock))
		die("IOMMU_TEST_OP_MOCK_DOMAIN");
	for (i = 0; i != nr_hwpts; i++) {
		struct iommu_hwpt_alloc cmd = {
			.size = sizeof(cmd),
			.dev_id = mock.mock_domain.out_idev_id,
			.pt_id = ioas_id,
		};

		if (ioctl(iommufd, IOMMU_HWPT_ALLOC, &cmd))
			die("IOMMU_HWPT_ALLOC");
		hwpt_id[i] = cmd.out_hwpt_id;
	}

	t0 = now_ns();
	{
		struct iommu_ioas_map_file cmd = {
			.size = sizeof(cmd),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = ioas_id,
			.fd = memfd,
			.length = size,
			.iova = IOVA,
		};

		if (ioctl(iommufd, IOMMU_IOAS_MAP_FILE, &cmd))
			die("IOMMU_IOAS_MAP_FILE");
	}
	t_map = now_ns() - t0;

	for (i = 0; i != nr_hwpts; i++) {
		struct iommu_hwpt_lu_mark_preserve cmd = {
			.size = sizeof(cmd),
			.hwpt_id = hwpt_id[i],
			.hwpt_token = hwpt_token(i),
		};

		if (ioctl(iommufd, IOMMU_HWPT_LU_MARK_PRESERVE, &cmd))
			die("IOMMU_HWPT_LU_MARK_PRESERVE");
	}

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		die("/dev/liveupdate");
	strcpy((char *)cs.name, SESSION);
	if (ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs))
		die("LIVEUPDATE_IOCTL_CREATE_SESSION");
	write_file(KNOB, "0");

	/* The iommufd's memfds must be in the session first */
	t_memfd = preserve_timed(cs.fd, memfd, MEMFD_TOKEN, "preserve the memfd");
	t_iommufd = preserve_timed(cs.fd, iommufd, IOMMUFD_TOKEN,
				   "preserve the iommufd");

	printf("csv:ho1,%s,%lu,%s,%u,%llu,%llu,%llu,%llu\n", config, mib,
	       thp ? "thp" : "4k", nr_hwpts, (unsigned long long)t_fill,
	       (unsigned long long)t_map, (unsigned long long)t_memfd,
	       (unsigned long long)t_iommufd);
	kernel_side(1);
	fflush(stdout);

	/* The session lives as long as its fd: a child holds it for the kexec */
	switch (fork()) {
	case -1:
		die("fork");
	case 0:
		setsid();
		close(STDIN_FILENO);
		close(STDOUT_FILENO);
		close(STDERR_FILENO);
		for (;;)
			pause();
	default:
		exit(0);
	}
}

static void stage2(unsigned long mib, int thp, unsigned int nr_hwpts)
{
	struct liveupdate_ioctl_retrieve_session rs = { .size = sizeof(rs) };
	struct liveupdate_session_finish fin = { .size = sizeof(fin) };
	__u64 t0, t_session, t_memfd, t_iommufd, t_lookup;
	int luo, memfd, iommufd;
	unsigned int i;

	luo = open("/dev/liveupdate", O_RDWR);
	if (luo < 0)
		die("/dev/liveupdate");
	strcpy((char *)rs.name, SESSION);
	/* The kernel-side times from here on: the retrieves run in this ioctl */
	write_file(KNOB, "0");
	t0 = now_ns();
	if (ioctl(luo, LIVEUPDATE_IOCTL_RETRIEVE_SESSION, &rs))
		die("LIVEUPDATE_IOCTL_RETRIEVE_SESSION");
	t_session = now_ns() - t0;

	/*
	 * The kernel retrieved the iommufd with the session, and the memfd
	 * through it: these return the files. scripts/bench splits the work
	 * with the kernel-side times of iommufd_luo_retrieve and
	 * memfd_luo_retrieve.
	 */
	t_memfd = retrieve_timed(rs.fd, MEMFD_TOKEN, &memfd, "retrieve the memfd");
	t_iommufd = retrieve_timed(rs.fd, IOMMUFD_TOKEN, &iommufd,
				   "retrieve the iommufd");

	t0 = now_ns();
	for (i = 0; i != nr_hwpts; i++) {
		struct iommu_hwpt_lu_get_restored cmd = {
			.size = sizeof(cmd),
			.hwpt_token = hwpt_token(i),
		};

		if (ioctl(iommufd, IOMMU_HWPT_LU_GET_RESTORED, &cmd))
			die("IOMMU_HWPT_LU_GET_RESTORED");
	}
	t_lookup = now_ns() - t0;

	printf("csv:ho2,%s,%lu,%s,%u,%llu,%llu,%llu,%llu\n", config, mib,
	       thp ? "thp" : "4k", nr_hwpts, (unsigned long long)t_memfd,
	       (unsigned long long)t_iommufd, (unsigned long long)t_lookup,
	       (unsigned long long)t_session);
	kernel_side(2);
	fflush(stdout);

	if (ioctl(rs.fd, LIVEUPDATE_SESSION_FINISH, &fin))
		die("LIVEUPDATE_SESSION_FINISH");
	close(iommufd);
	close(memfd);
	close(rs.fd);
	close(luo);
}

int main(int argc, char **argv)
{
	unsigned long mib = 16, nr_hwpts = 1;
	const char *ko = NULL, *page = "4k";
	static char cfg[64];
	int opt, stage = 0, thp;

	while ((opt = getopt(argc, argv, "s:k:m:p:w:")) != -1) {
		switch (opt) {
		case 's': stage = atoi(optarg); break;
		case 'k': ko = optarg; break;
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'p': page = optarg; break;
		case 'w': nr_hwpts = strtoul(optarg, NULL, 0); break;
		default:
			goto usage;
		}
	}
	thp = !strcmp(page, "thp");
	if ((stage != 1 && stage != 2) || !ko || !mib || mib > 1024 ||
	    (!thp && strcmp(page, "4k")) || !nr_hwpts || nr_hwpts > MAX_HWPTS)
		goto usage;
	snprintf(cfg, sizeof(cfg), "%lum-%s-%luw", mib, page, nr_hwpts);
	config = cfg;

	load_module(ko);
	if (stage == 1)
		stage1(mib, thp, nr_hwpts);
	else
		stage2(mib, thp, nr_hwpts);
	return 0;
usage:
	fprintf(stderr,
		"usage: %s -s 1|2 -k bench_lutime.ko [-m MiB] [-p 4k|thp] [-w HWPTs]\n",
		argv[0]);
	return 2;
}
