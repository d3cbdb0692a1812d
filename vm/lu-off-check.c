// SPDX-License-Identifier: GPL-2.0
/*
 * lu-off-check: run on a kernel built with CONFIG_IOMMUFD_LIVEUPDATE off
 * (LIVEUPDATE and IOMMUFD still on). Checks the uAPI contract of such a
 * kernel: both live update ioctls of iommufd give -ENOTTY, the same iommufd
 * serves its other ioctls, and LUO refuses to preserve an iommufd (no handler
 * registered). Prints TAP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/iommufd.h>
#include <linux/liveupdate.h>

static int n, failed;

static void result(int ok, const char *what, int err)
{
	n++;
	failed += !ok;
	printf("%sok %d %s", ok ? "" : "not ", n, what);
	if (!ok)
		printf(" (errno %d: %s)", err, strerror(err));
	printf("\n");
}

int main(void)
{
	struct iommu_hwpt_lu_mark_preserve mark = { .size = sizeof(mark) };
	struct iommu_hwpt_lu_get_restored get = { .size = sizeof(get) };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	struct liveupdate_ioctl_create_session cs = { .size = sizeof(cs) };
	struct liveupdate_session_preserve_fd pf = { .size = sizeof(pf) };
	int fd, luo, rc;

	printf("TAP version 13\n1..5\n");
	fd = open("/dev/iommu", O_RDWR);
	if (fd < 0) {
		printf("Bail out! /dev/iommu: %s\n", strerror(errno));
		return 1;
	}
	rc = ioctl(fd, IOMMU_IOAS_ALLOC, &ioas);
	result(rc == 0, "IOMMU_IOAS_ALLOC works (the fd is a live iommufd)", errno);
	mark.hwpt_id = ioas.out_ioas_id;
	mark.hwpt_token = 1;
	rc = ioctl(fd, IOMMU_HWPT_LU_MARK_PRESERVE, &mark);
	result(rc == -1 && errno == ENOTTY, "IOMMU_HWPT_LU_MARK_PRESERVE gives ENOTTY",
	       rc ? errno : 0);
	get.hwpt_token = 1;
	rc = ioctl(fd, IOMMU_HWPT_LU_GET_RESTORED, &get);
	result(rc == -1 && errno == ENOTTY, "IOMMU_HWPT_LU_GET_RESTORED gives ENOTTY",
	       rc ? errno : 0);

	luo = open("/dev/liveupdate", O_RDWR);
	result(luo >= 0, "/dev/liveupdate is there (LUO itself is on)", errno);
	strcpy((char *)cs.name, "lu-off-check");
	if (luo >= 0 && !ioctl(luo, LIVEUPDATE_IOCTL_CREATE_SESSION, &cs)) {
		pf.fd = fd;
		pf.token = 1;
		rc = ioctl(cs.fd, LIVEUPDATE_SESSION_PRESERVE_FD, &pf);
		printf("# LIVEUPDATE_SESSION_PRESERVE_FD of the iommufd: rc %d errno %d\n",
		       rc, rc ? errno : 0);
		result(rc == -1, "LUO refuses to preserve the iommufd (no handler)", 0);
	} else {
		result(0, "LUO session for the preserve check", errno);
	}
	return failed ? 1 : 0;
}
