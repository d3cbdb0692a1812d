// SPDX-License-Identifier: GPL-2.0
/*
 * kexec-load KERNEL INITRD CMDLINE: kexec_file_load() the next kernel.
 * kexec-load --exec: reboot into the loaded kernel (LINUX_REBOOT_CMD_KEXEC,
 * which is where LUO freezes the preserved files).
 *
 * The test VM's init is a busybox script, and busybox has no kexec applet.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/reboot.h>

int main(int argc, char **argv)
{
	int kfd, ifd;
	long ret;

	if (argc == 2 && !strcmp(argv[1], "--exec")) {
		reboot(LINUX_REBOOT_CMD_KEXEC);
		perror("reboot(LINUX_REBOOT_CMD_KEXEC)");
		return 1;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: kexec-load KERNEL INITRD CMDLINE | --exec\n");
		return 2;
	}
	kfd = open(argv[1], O_RDONLY);
	ifd = open(argv[2], O_RDONLY);
	if (kfd < 0 || ifd < 0) {
		perror("open");
		return 1;
	}
	ret = syscall(SYS_kexec_file_load, kfd, ifd, strlen(argv[3]) + 1,
		      argv[3], 0UL);
	if (ret) {
		perror("kexec_file_load");
		return 1;
	}
	return 0;
}
