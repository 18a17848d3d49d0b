// SPDX-License-Identifier: GPL-2.0
/*
 * Protection domains, memory regions and their keys.
 *
 * Keys: each device has a table of MR slots (dev->min_mr_index ..
 * min_mr_index + attrs.max_mr - 1).  A key is slot << 8 | generation,
 * where the 8-bit generation is bumped every time the slot is handed out,
 * so a stale key (deregistered, slot reused) does not match for 255 more
 * registrations.  lkey == rkey for an MR with remote access, rkey 0 (never
 * valid: slot 0 is never used) otherwise.  Slots are taken next-fit, which
 * also delays reuse.
 *
 * Lookups (ib_post_*'s SGE checks here, the provider's responder through
 * ib_mr_lookup_rkey()) run under mr_lock against the published table; a
 * lookup that hands the MR out takes a reference, and ib_dereg_mr()
 * unpublishes first, then waits for those references to go.
 *
 * Every PD owns one internal MR covering all kernel memory with local
 * write access: its lkey is pd->local_dma_lkey, as in Linux.
 */
#define pr_fmt(fmt) pr_fmt_ib(fmt)

#include <lego/bitmap.h>
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/slab.h>
#include <lego/string.h>

#include "internal.h"

int ib_mr_table_init(struct ib_device *dev)
{
	struct ib_core *core = dev->core;
	u32 slots = dev->min_mr_index + dev->attrs.max_mr;

	core->mr_map = kcalloc(BITS_TO_LONGS(slots), sizeof(long), GFP_KERNEL);
	core->mr_table = kcalloc(slots, sizeof(*core->mr_table), GFP_KERNEL);
	core->mr_gen = kcalloc(slots, 1, GFP_KERNEL);
	if (!core->mr_map || !core->mr_table || !core->mr_gen) {
		ib_mr_table_free(dev);
		return -ENOMEM;
	}
	core->mr_slots = slots;
	core->mr_next = dev->min_mr_index;
	return 0;
}

void ib_mr_table_free(struct ib_device *dev)
{
	struct ib_core *core = dev->core;

	kfree(core->mr_map);
	kfree(core->mr_table);
	kfree(core->mr_gen);
	core->mr_map = NULL;
	core->mr_table = NULL;
	core->mr_gen = NULL;
	core->mr_slots = 0;
}

/* ---- keys ---------------------------------------------------------------- */

/* Reserve a slot and give @mr its keys; -ENOSPC when the table is full. */
static int mr_key_alloc(struct ib_device *dev, struct ib_mr *mr)
{
	struct ib_core *core = dev->core;
	unsigned long flags, idx;
	u32 min = dev->min_mr_index;

	ib_lock_irqsave(&core->mr_lock, flags);
	idx = bitmap_find_next_zero_area(core->mr_map, core->mr_slots,
					 core->mr_next, 1, 0);
	if (idx >= core->mr_slots)
		idx = bitmap_find_next_zero_area(core->mr_map, core->mr_slots,
						 min, 1, 0);
	if (idx >= core->mr_slots) {
		ib_unlock_irqrestore(&core->mr_lock, flags);
		return -ENOSPC;
	}
	bitmap_set(core->mr_map, idx, 1);
	core->mr_gen[idx]++;
	core->mr_next = idx + 1 < core->mr_slots ? idx + 1 : min;
	mr->lkey = IB_MR_KEY(idx, core->mr_gen[idx]);
	mr->rkey = (mr->access & IB_ACCESS_REMOTE) ? mr->lkey : 0;
	ib_unlock_irqrestore(&core->mr_lock, flags);
	return 0;
}

static void mr_key_free(struct ib_device *dev, struct ib_mr *mr)
{
	struct ib_core *core = dev->core;
	unsigned long flags;

	ib_lock_irqsave(&core->mr_lock, flags);
	bitmap_clear(core->mr_map, IB_MR_KEY_INDEX(mr->lkey), 1);
	ib_unlock_irqrestore(&core->mr_lock, flags);
}

/* Make the MR with lkey @key findable (@val) or not (NULL). */
static void mr_publish(struct ib_device *dev, u32 key, struct ib_mr *val)
{
	struct ib_core *core = dev->core;
	unsigned long flags;

	ib_lock_irqsave(&core->mr_lock, flags);
	core->mr_table[IB_MR_KEY_INDEX(key)] = val;
	ib_unlock_irqrestore(&core->mr_lock, flags);
}

/* The published MR with lkey @key, under mr_lock; NULL if none. */
static struct ib_mr *mr_find_locked(struct ib_core *core, u32 key)
{
	u32 idx = IB_MR_KEY_INDEX(key);
	struct ib_mr *mr;

	if (idx >= core->mr_slots)
		return NULL;
	mr = core->mr_table[idx];
	return mr && mr->lkey == key ? mr : NULL;
}

static struct ib_mr *mr_lookup(struct ib_device *dev, u32 key, bool remote)
{
	struct ib_core *core;
	unsigned long flags;
	struct ib_mr *mr;

	if (!dev || !dev->core || (remote && !key))
		return NULL;
	core = dev->core;
	ib_lock_irqsave(&core->mr_lock, flags);
	mr = mr_find_locked(core, key);
	if (mr && remote && mr->rkey != key)
		mr = NULL;
	if (mr)
		atomic_inc(&mr->refcnt);
	ib_unlock_irqrestore(&core->mr_lock, flags);
	return mr;
}

struct ib_mr *ib_mr_lookup_rkey(struct ib_device *dev, u32 rkey)
{
	return mr_lookup(dev, rkey, true);
}

struct ib_mr *ib_mr_lookup_lkey(struct ib_device *dev, u32 lkey)
{
	return mr_lookup(dev, lkey, false);
}

void ib_mr_put(struct ib_mr *mr)
{
	if (mr)
		atomic_dec(&mr->refcnt);
}

/* ---- range and access checks ---------------------------------------------- */

int ib_mr_check_range(const struct ib_mr *mr, u64 addr, u64 len, int access)
{
	u64 off;

	if (!mr)
		return -EINVAL;
	/* [addr, addr + len) inside [iova, iova + length), no wrap */
	if (addr < mr->iova)
		return -EINVAL;
	off = addr - mr->iova;
	if (off > mr->length || len > mr->length - off)
		return -EINVAL;
	if ((mr->access & access) != access)
		return -EACCES;
	return 0;
}

int ib_sge_check_locked(struct ib_device *dev, struct ib_pd *pd,
			const struct ib_sge *sge, int access)
{
	struct ib_mr *mr;

	if (!sge->length)	/* a zero-length message has num_sge 0 */
		return -EINVAL;
	if (sge->addr + sge->length < sge->addr)
		return -EINVAL;
	mr = mr_find_locked(dev->core, sge->lkey);
	if (!mr || mr->pd != pd)	/* another PD's key is no key */
		return -EINVAL;
	return ib_mr_check_range(mr, sge->addr, sge->length, access);
}

int ib_sgl_check(struct ib_device *dev, struct ib_pd *pd,
		 const struct ib_sge *sgl, int num_sge, int access, u64 *total)
{
	struct ib_core *core = dev->core;
	unsigned long flags;
	int i, err = 0;

	if (num_sge && !sgl)
		return -EINVAL;
	ib_lock_irqsave(&core->mr_lock, flags);
	for (i = 0; i < num_sge && !err; i++) {
		err = ib_sge_check_locked(dev, pd, &sgl[i], access);
		*total += sgl[i].length;
	}
	ib_unlock_irqrestore(&core->mr_lock, flags);
	if (!err && *total > IB_MAX_MSG_SZ)
		err = -EINVAL;
	return err;
}

int ib_mr_access_check(int access)
{
	if (access & IB_ACCESS_MW_BIND)
		return -EOPNOTSUPP;
	if (access & ~(IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE))
		return -EINVAL;
	/* a peer may not write where we could not */
	if ((access & (IB_ACCESS_REMOTE_WRITE | IB_ACCESS_REMOTE_ATOMIC)) &&
	    !(access & IB_ACCESS_LOCAL_WRITE))
		return -EINVAL;
	return 0;
}

/* ---- memory regions -------------------------------------------------------- */

static struct ib_mr *mr_create(struct ib_pd *pd, u64 iova, u64 length,
			       int access)
{
	struct ib_device *dev = pd->device;
	struct ib_mr *mr;
	int err;

	if (!ib_count_get(&dev->core->nr_mr, dev->attrs.max_mr))
		return ERR_PTR(-ENOSPC);
	err = -ENOMEM;
	mr = kzalloc(ALIGN(sizeof(*mr), IB_PRIV_ALIGN) + dev->ops->mr_priv_size,
		     GFP_KERNEL);
	if (!mr)
		goto out_uncount;
	mr->device = dev;
	mr->pd = pd;
	mr->iova = iova;
	mr->length = length;
	mr->access = access;
	atomic_set(&mr->refcnt, 1);
	err = mr_key_alloc(dev, mr);
	if (err)
		goto out_free;
	if (dev->ops->reg_mr) {
		err = dev->ops->reg_mr(mr);
		if (err)
			goto out_free_key;
	}
	mr_publish(dev, mr->lkey, mr);
	return mr;

out_free_key:
	mr_key_free(dev, mr);
out_free:
	kfree(mr);
out_uncount:
	atomic_dec(&dev->core->nr_mr);
	return ERR_PTR(err);
}

static void mr_destroy(struct ib_mr *mr)
{
	struct ib_device *dev = mr->device;

	mr_publish(dev, mr->lkey, NULL);
	ib_wait_for_refs(&mr->refcnt, "MR", mr->lkey);
	if (dev->ops->dereg_mr)
		dev->ops->dereg_mr(mr);
	mr_key_free(dev, mr);
	atomic_dec(&dev->core->nr_mr);
	kfree(mr);
}

struct ib_mr *ib_reg_kernel_mr(struct ib_pd *pd, void *addr, size_t len,
			       int access)
{
	u64 start = (u64)(uintptr_t)addr;
	struct ib_mr *mr;
	int err;

	if (!pd || !addr || !len || start + len < start ||
	    len > pd->device->attrs.max_mr_size)
		return ERR_PTR(-EINVAL);
	err = ib_mr_access_check(access);
	if (err)
		return ERR_PTR(err);
	if (!pd->device->registered)
		return ERR_PTR(-ENODEV);
	mr = mr_create(pd, start, len, access);
	if (!IS_ERR(mr))
		atomic_inc(&pd->usecnt);
	return mr;
}

int ib_dereg_mr(struct ib_mr *mr)
{
	struct ib_pd *pd;

	if (!mr || mr == mr->pd->__internal_mr)
		return -EINVAL;
	pd = mr->pd;
	mr_destroy(mr);
	atomic_dec(&pd->usecnt);
	return 0;
}

/* ---- protection domains ------------------------------------------------------ */

struct ib_pd *ib_alloc_pd(struct ib_device *dev, unsigned int flags)
{
	struct ib_mr *mr;
	struct ib_pd *pd;
	int err;

	if (!dev)
		return ERR_PTR(-EINVAL);
	if (flags)
		return ERR_PTR(-EOPNOTSUPP);
	if (!dev->registered)
		return ERR_PTR(-ENODEV);
	if (!ib_count_get(&dev->core->nr_pd, dev->attrs.max_pd))
		return ERR_PTR(-ENOSPC);
	err = -ENOMEM;
	pd = kzalloc(ALIGN(sizeof(*pd), IB_PRIV_ALIGN) + dev->ops->pd_priv_size,
		     GFP_KERNEL);
	if (!pd)
		goto out_uncount;
	pd->device = dev;
	atomic_set(&pd->usecnt, 0);
	if (dev->ops->alloc_pd) {
		err = dev->ops->alloc_pd(pd);
		if (err)
			goto out_free;
	}
	/* all of the address space but its last byte, local use only */
	mr = mr_create(pd, 0, U64_MAX, IB_ACCESS_LOCAL_WRITE);
	if (IS_ERR(mr)) {
		err = PTR_ERR(mr);
		goto out_dealloc;
	}
	pd->__internal_mr = mr;
	pd->local_dma_lkey = mr->lkey;
	return pd;

out_dealloc:
	if (dev->ops->dealloc_pd)
		dev->ops->dealloc_pd(pd);
out_free:
	kfree(pd);
out_uncount:
	atomic_dec(&dev->core->nr_pd);
	return ERR_PTR(err);
}

int ib_dealloc_pd(struct ib_pd *pd)
{
	struct ib_device *dev;

	if (!pd)
		return -EINVAL;
	if (atomic_read(&pd->usecnt))
		return -EBUSY;
	dev = pd->device;
	mr_destroy(pd->__internal_mr);
	if (dev->ops->dealloc_pd)
		dev->ops->dealloc_pd(pd);
	atomic_dec(&dev->core->nr_pd);
	kfree(pd);
	return 0;
}
