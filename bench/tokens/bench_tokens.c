// SPDX-License-Identifier: GPL-2.0
/*
 * make bench, part 1 baseline: the cost of one token collision check, as the
 * first upstream posting of iommufd live update made it (a walk over the
 * context's object xarray under its lock, comparing the token of every
 * marked HWPT) and as the series makes it (xa_insert() into a per-context
 * token xarray, xa_erase() to take it back), on the same N objects.
 *
 * Not part of the series: a workspace module built against the test kernel.
 * Write N to /sys/kernel/debug/bench_tokens to run one size; read it back to
 * get "N marked baseline_ns ours_ns baseline_iters ours_iters", times in
 * nanoseconds per mark + clear pair.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/xarray.h>

/* Like iommufd_object and the token fields of iommufd_hwpt_paging */
struct bench_obj {
	unsigned int type;
	bool marked;
	u64 token;
};

enum { BENCH_OBJ_IOAS, BENCH_OBJ_HWPT };

/* One object in BENCH_SHARE is a marked HWPT, as in the userspace part */
#define BENCH_SHARE 10
/* Run each side for about this long (or at least BENCH_MIN_ITERS times) */
#define BENCH_TARGET_NS (200 * NSEC_PER_MSEC)
#define BENCH_MIN_ITERS 20

static DEFINE_MUTEX(bench_lock);
static char bench_result[160];

/* Spread tokens over the 64-bit space, as a VMM's own choice might be */
static u64 bench_token(unsigned long i)
{
	return (i + 1) * 0x9E3779B97F4A7C15ULL;
}

/* The first posting: is any marked HWPT of the context using @token? */
static bool baseline_token_used(struct xarray *objects, u64 token)
{
	struct bench_obj *obj;
	unsigned long index;
	bool used = false;

	xa_lock(objects);
	xa_for_each(objects, index, obj) {
		if (obj->type == BENCH_OBJ_HWPT && obj->marked &&
		    obj->token == token) {
			used = true;
			break;
		}
	}
	xa_unlock(objects);
	return used;
}

/* Mark + clear of @target with a free token, the baseline way */
static int baseline_pair(struct xarray *objects, struct bench_obj *target,
			 u64 token)
{
	if (baseline_token_used(objects, token))
		return -EBUSY;
	WRITE_ONCE(target->token, token);
	WRITE_ONCE(target->marked, true);
	/* Clear: nothing to look up */
	WRITE_ONCE(target->marked, false);
	return 0;
}

/* Mark + clear of @target with a free token, the series' way */
static int ours_pair(struct xarray *tokens, struct bench_obj *target,
		     u64 token)
{
	int rc = xa_insert(tokens, token, target, GFP_KERNEL);

	if (rc)
		return rc;
	target->token = token;
	target->marked = true;
	xa_erase(tokens, token);
	target->marked = false;
	return 0;
}

static u64 bench_iters(u64 one_ns)
{
	return max_t(u64, BENCH_MIN_ITERS, BENCH_TARGET_NS / max_t(u64, one_ns, 1));
}

static int bench_run(unsigned long n)
{
	struct bench_obj *objs, target = { .type = BENCH_OBJ_HWPT };
	u64 b_iters, o_iters, b_ns, o_ns, i, t0, free_token;
	unsigned long marked = 0, k;
	struct xarray objects, tokens;
	u32 id;
	int rc = 0;

	if (!n || n > 10000000)
		return -EINVAL;
	objs = kvcalloc(n, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	xa_init_flags(&objects, XA_FLAGS_ALLOC1);
	xa_init(&tokens);

	for (k = 0; k != n; k++) {
		objs[k].type = k % BENCH_SHARE ? BENCH_OBJ_IOAS : BENCH_OBJ_HWPT;
		if (objs[k].type == BENCH_OBJ_HWPT) {
			objs[k].marked = true;
			objs[k].token = bench_token(marked++);
			rc = xa_insert(&tokens, objs[k].token, &objs[k],
				       GFP_KERNEL);
			if (rc)
				goto out;
		}
		rc = xa_alloc(&objects, &id, &objs[k], xa_limit_32b,
			      GFP_KERNEL);
		if (rc)
			goto out;
	}
	/* A token no object holds: the check walks all of them */
	free_token = bench_token(marked + 1);

	/* Calibrate each side on a few pairs, then time the real run */
	t0 = ktime_get_ns();
	for (i = 0; i != BENCH_MIN_ITERS && !rc; i++)
		rc = baseline_pair(&objects, &target, free_token);
	b_iters = bench_iters((ktime_get_ns() - t0) / BENCH_MIN_ITERS);
	t0 = ktime_get_ns();
	for (i = 0; i != b_iters && !rc; i++) {
		rc = baseline_pair(&objects, &target, free_token);
		cond_resched();
	}
	b_ns = ktime_get_ns() - t0;

	t0 = ktime_get_ns();
	for (i = 0; i != BENCH_MIN_ITERS && !rc; i++)
		rc = ours_pair(&tokens, &target, free_token);
	o_iters = bench_iters((ktime_get_ns() - t0) / BENCH_MIN_ITERS);
	t0 = ktime_get_ns();
	for (i = 0; i != o_iters && !rc; i++) {
		rc = ours_pair(&tokens, &target, free_token);
		cond_resched();
	}
	o_ns = ktime_get_ns() - t0;
	if (rc)
		goto out;

	/* Both must see a collision where there is one */
	if (!baseline_token_used(&objects, bench_token(0)) ||
	    xa_insert(&tokens, bench_token(0), &target, GFP_KERNEL) != -EBUSY) {
		rc = -EIO;
		goto out;
	}

	snprintf(bench_result, sizeof(bench_result),
		 "%lu %lu %llu %llu %llu %llu\n", n, marked,
		 div64_u64(b_ns, b_iters), div64_u64(o_ns, o_iters), b_iters,
		 o_iters);
out:
	xa_destroy(&tokens);
	xa_destroy(&objects);
	kvfree(objs);
	return rc;
}

static ssize_t bench_write(struct file *file, const char __user *buf,
			   size_t count, loff_t *ppos)
{
	unsigned long n;
	int rc;

	rc = kstrtoul_from_user(buf, count, 0, &n);
	if (rc)
		return rc;
	mutex_lock(&bench_lock);
	bench_result[0] = 0;
	rc = bench_run(n);
	mutex_unlock(&bench_lock);
	return rc ? rc : count;
}

static ssize_t bench_read(struct file *file, char __user *buf, size_t count,
			  loff_t *ppos)
{
	ssize_t rc;

	mutex_lock(&bench_lock);
	rc = simple_read_from_buffer(buf, count, ppos, bench_result,
				     strlen(bench_result));
	mutex_unlock(&bench_lock);
	return rc;
}

static const struct file_operations bench_fops = {
	.owner = THIS_MODULE,
	.write = bench_write,
	.read = bench_read,
};

static struct dentry *bench_dentry;

static int __init bench_tokens_init(void)
{
	bench_dentry = debugfs_create_file("bench_tokens", 0600, NULL, NULL,
					   &bench_fops);
	return 0;
}

static void __exit bench_tokens_exit(void)
{
	debugfs_remove(bench_dentry);
}

module_init(bench_tokens_init);
module_exit(bench_tokens_exit);
MODULE_DESCRIPTION("Token collision check: object walk against token xarray");
MODULE_LICENSE("GPL");
