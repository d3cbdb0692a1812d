// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, part 2: the kernel side of the handover benchmark.
 *
 * Times, with kretprobes, the live update steps that userspace cannot time
 * itself (LUO's freeze at the kexec reboot) or can time only as a whole (the
 * steps of the iommufd retrieve), and reads the counts the handover carries
 * (HWPTs, table blocks and areas of the iommufd, folios of the memfd) from the
 * serialized data the two LUO file handlers return from preserve, exactly as
 * the next kernel will find it. It is a workspace module, not part of the
 * series: it only observes.
 *
 * /sys/kernel/debug/bench_lutime reads one line per probed function,
 * "fn <name> <calls> <total ns> <max ns>" ("fn <name> - - -" when the
 * function has no symbol of its own, i.e. it was inlined), then
 * "iommufd_ser <hwpts> <tables> <areas> <bytes>" and
 * "memfd_ser <folios> <bytes>" for the last preserve of each. Writing to it
 * zeroes everything. When liveupdate_reboot() returns (the freeze, inside the
 * kexec reboot), the same lines go to the kernel log, prefixed with
 * "bench_lutime: ", since nothing else survives the kexec.
 *
 * Each probe costs a few microseconds per call under TCG, so only functions
 * called a few times per handover are probed (nothing per table, folio or
 * page; pfn_reader_user_pin() runs once per batch of PFNs, a few hundred
 * times per GiB of 4 KiB pages).
 */
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/kho/abi/iommufd.h>
#include <linux/kho/abi/memfd.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/liveupdate.h>
#include <linux/module.h>
#include <linux/seq_file.h>

enum { DECODE_NONE, DECODE_IOMMUFD, DECODE_MEMFD };

/* Indexes in probes[] of the functions the module cannot do without */
enum { IOMMUFD_PRESERVE, MEMFD_PRESERVE, REBOOT };

struct lut_probe {
	const char *sym;
	int decode;
	struct kretprobe krp;
	bool registered;
	atomic64_t calls;
	atomic64_t ns;
	atomic64_t max;
};

struct lut_instance {
	u64 t0;
	struct liveupdate_file_op_args *args;
};

#define P(s) { .sym = #s }
#define PD(s, d) { .sym = #s, .decode = d }
static struct lut_probe probes[] = {
	/* Outside the blackout: preserve, while the guest still runs */
	PD(iommufd_luo_preserve, DECODE_IOMMUFD),
	PD(memfd_luo_preserve, DECODE_MEMFD),
	/* The blackout in the old kernel: LUO's freeze at the kexec reboot */
	P(liveupdate_reboot),
	P(luo_session_serialize),
	P(memfd_luo_freeze),
	P(iommufd_luo_freeze),	/* the series has none: "-" unless one is added */
	/* The blackout in the next kernel, until the devices are back */
	P(memfd_luo_retrieve),
	P(iommufd_luo_retrieve),
	P(iommufd_lu_validate),
	P(iommufd_lu_check_unique),
	P(iommufd_lu_build),
	P(iommufd_lu_map_areas),
	P(memfd_luo_get_incoming),
	P(iommu_lu_restore_domain),
	P(iommufd_lu_check_tree),
	P(iopt_map_file),
	P(iopt_table_adopt_domain),
	P(iopt_area_adopt_domain),
	P(pfn_reader_user_pin),	/* pinning, once per batch of PFNs */
	P(iommufd_lu_finalize),
};

static struct {
	u64 hwpts, tables, areas, bytes;
	u64 folios, memfd_bytes;
} ser;

static struct dentry *knob;

/*
 * Probe handlers run from the breakpoint trap, which lockdep counts as NMI:
 * only the NMI-safe clock may be read there (ktime_get_ns() takes the
 * timekeeping seqcount).
 */
static int lut_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct lut_instance *d = (void *)ri->data;

	d->args = (void *)regs_get_kernel_argument(regs, 0);
	d->t0 = ktime_get_mono_fast_ns();
	return 0;
}

static void lut_decode(struct lut_probe *p, struct liveupdate_file_op_args *args)
{
	if (!args->serialized_data)
		return;
	if (p->decode == DECODE_IOMMUFD) {
		const struct iommufd_luo_ser *s = phys_to_virt(args->serialized_data);

		if (s->version != IOMMUFD_LUO_SER_VERSION)
			return;
		ser.hwpts = s->nr_hwpts;
		ser.tables = s->nr_tables;
		ser.areas = s->nr_areas;
		ser.bytes = sizeof(*s) +
			    s->nr_hwpts * sizeof(struct iommufd_luo_hwpt_ser) +
			    s->nr_tables * sizeof(u64) +
			    s->nr_areas * sizeof(struct iommufd_luo_area_ser);
	} else {
		const struct memfd_luo_ser *s = phys_to_virt(args->serialized_data);

		ser.folios = s->nr_folios;
		ser.memfd_bytes = sizeof(*s) +
				  s->nr_folios * sizeof(struct memfd_luo_folio_ser);
	}
}

static void lut_print(struct seq_file *m);

static int lut_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct lut_instance *d = (void *)ri->data;
	struct lut_probe *p = container_of(get_kretprobe(ri), struct lut_probe, krp);
	u64 dt = ktime_get_mono_fast_ns() - d->t0, old;

	atomic64_inc(&p->calls);
	atomic64_add(dt, &p->ns);
	old = atomic64_read(&p->max);
	while (dt > old && !atomic64_try_cmpxchg(&p->max, &old, dt))
		;
	if (p->decode && !regs_return_value(regs))
		lut_decode(p, d->args);
	if (p == &probes[REBOOT])	/* nothing survives the kexec */
		lut_print(NULL);
	return 0;
}

static void lut_print(struct seq_file *m)
{
	unsigned int i;

#define OUT(fmt, ...) do {						\
		if (m)							\
			seq_printf(m, fmt "\n", ##__VA_ARGS__);		\
		else							\
			pr_info("bench_lutime: " fmt "\n", ##__VA_ARGS__); \
	} while (0)
	for (i = 0; i != ARRAY_SIZE(probes); i++) {
		struct lut_probe *p = &probes[i];

		if (!p->registered)
			OUT("fn %s - - -", p->sym);
		else
			OUT("fn %s %lld %lld %lld", p->sym,
			    (long long)atomic64_read(&p->calls),
			    (long long)atomic64_read(&p->ns),
			    (long long)atomic64_read(&p->max));
	}
	OUT("iommufd_ser %llu %llu %llu %llu", ser.hwpts, ser.tables, ser.areas,
	    ser.bytes);
	OUT("memfd_ser %llu %llu", ser.folios, ser.memfd_bytes);
#undef OUT
}

static int lut_show(struct seq_file *m, void *unused)
{
	lut_print(m);
	return 0;
}

static int lut_open(struct inode *inode, struct file *file)
{
	return single_open(file, lut_show, NULL);
}

static ssize_t lut_write(struct file *file, const char __user *buf,
			 size_t count, loff_t *ppos)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(probes); i++) {
		atomic64_set(&probes[i].calls, 0);
		atomic64_set(&probes[i].ns, 0);
		atomic64_set(&probes[i].max, 0);
	}
	memset(&ser, 0, sizeof(ser));
	return count;
}

static const struct file_operations lut_fops = {
	.owner = THIS_MODULE,
	.open = lut_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = lut_write,
};

static void lut_unregister(void)
{
	unsigned int i;

	for (i = 0; i != ARRAY_SIZE(probes); i++) {
		if (probes[i].registered)
			unregister_kretprobe(&probes[i].krp);
		probes[i].registered = false;
	}
}

static int __init lut_init(void)
{
	unsigned int i, n = 0;
	int rc;

	if (strcmp(probes[REBOOT].sym, "liveupdate_reboot"))
		return -EINVAL;
	for (i = 0; i != ARRAY_SIZE(probes); i++) {
		struct lut_probe *p = &probes[i];

		p->krp.kp.symbol_name = p->sym;
		p->krp.entry_handler = lut_entry;
		p->krp.handler = lut_return;
		p->krp.data_size = sizeof(struct lut_instance);
		p->krp.maxactive = 8;
		rc = register_kretprobe(&p->krp);
		if (rc == -ENOENT) {
			/* Inlined into its caller: timed as part of it */
			continue;
		}
		if (rc) {
			pr_err("bench_lutime: %s: %d\n", p->sym, rc);
			lut_unregister();
			return rc;
		}
		p->registered = true;
		n++;
	}
	/* The handlers' own entry points must be there, or nothing is measured */
	if (!probes[IOMMUFD_PRESERVE].registered ||
	    !probes[MEMFD_PRESERVE].registered || !probes[REBOOT].registered) {
		lut_unregister();
		return -ENOENT;
	}
	knob = debugfs_create_file("bench_lutime", 0600, NULL, NULL, &lut_fops);
	pr_info("bench_lutime: %u of %zu functions probed\n", n, ARRAY_SIZE(probes));
	return 0;
}

static void __exit lut_exit(void)
{
	debugfs_remove(knob);
	lut_unregister();
}

module_init(lut_init);
module_exit(lut_exit);
MODULE_DESCRIPTION("make bench: timing of the live update steps, kernel side");
MODULE_LICENSE("GPL");
