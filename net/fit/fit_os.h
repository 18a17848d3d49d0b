/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The FIT core's view of its operating system: the only differences
 * between the bare-metal kernels and Linux that the net/fit sources must not see.
 *
 * The core is written in the kernel dialect both systems share: the
 * verbs of <rdma/ib_verbs.h> (ib_create_cq/qp, ib_modify_qp,
 * ib_post_send/recv, ib_poll_cq, ib_req_notify_cq), spinlocks, mutexes,
 * wait queues, atomics, lists, kmalloc/kzalloc/kfree and pr_*().  What
 * differs (threads, time, randomness, large allocations, DMA addresses,
 * remote-access registration, the RDMA device, the bootstrap UDP socket)
 * goes through the fit_os_*() functions below: net/fit/os_lego.c for
 * LegoOS, linux-modules/fit/os_linux.c for Linux.
 */
#ifndef _NET_FIT_FIT_OS_H
#define _NET_FIT_FIT_OS_H

#ifdef KBUILD_MODNAME			/* the Linux module */
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <rdma/ib_verbs.h>
/* Sleep on @wq until @cond or @ms pass; true iff @cond held. */
#define fit_wait_event_ms(wq, cond, ms) \
	({ bool __ok = wait_event_timeout(wq, cond, msecs_to_jiffies(ms)) > 0; \
	   __ok; })
/* Wait for @x at most @ms; true iff it completed. */
#define fit_wait_completion_ms(x, ms) \
	({ bool __ok = wait_for_completion_timeout(x, msecs_to_jiffies(ms)) > 0; \
	   __ok; })
#else					/* LegoOS */
#include <lego/types.h>
#include <lego/kernel.h>
#include <lego/errno.h>
#include <lego/string.h>
#include <lego/slab.h>
#include <lego/list.h>
#include <lego/spinlock.h>
#include <lego/mutex.h>
#include <lego/wait.h>
#include <lego/completion.h>
#include <lego/atomic.h>
#include <lego/time.h>
#include <lego/sched.h>
#include <lego/printk.h>
#include <rdma/ib_verbs.h>
#define fit_wait_event_ms(wq, cond, ms) \
	({ bool __ok = wait_event_timeout(wq, cond, \
					  (u64)(ms) * NSEC_PER_MSEC) > 0; \
	   __ok; })
#define fit_wait_completion_ms(x, ms) \
	({ bool __ok = wait_for_completion_timeout(x, ms) > 0; __ok; })
#endif

#include <lego/fit.h>

struct fit_ctx;

/* ---- threads and time ---------------------------------------------------- */

struct fit_thread;
/*
 * Start a kernel thread running @fn(@arg).  @fn must return once
 * fit_os_thread_should_stop() is true (it is woken through the wait queue
 * it sleeps on: the core wakes them all before stopping threads).
 */
struct fit_thread *fit_os_thread_run(int (*fn)(void *), void *arg,
				     const char *name);
bool fit_os_thread_should_stop(void);
/* Make fit_os_thread_should_stop() true for @t and wait for @fn to return. */
void fit_os_thread_stop(struct fit_thread *t);

u64 fit_os_now_ns(void);		/* monotonic */
void fit_os_msleep(unsigned int ms);
u64 fit_os_random64(void);		/* never 0 */

/* Memory that may be larger than a page block (reassembly, up to
 * FIT_MAX_MSG): kmalloc on LegoOS, kvmalloc on Linux. */
void *fit_os_alloc_large(size_t size);
void fit_os_free_large(void *p);

/* ---- the RDMA device ---------------------------------------------------- */

/*
 * Find the RDMA device (@name, or the first one with an active port when
 * @name is empty, waiting up to @wait_ms for one to appear) and fill in
 * ctx->dev, ctx->port, ctx->sgid_index, ctx->pd, ctx->local_ip,
 * ctx->local_mac and ctx->mtu.  0 or -ENODEV (with a logged reason).
 */
int fit_os_dev_open(struct fit_ctx *ctx, const char *name,
		    unsigned int wait_ms);
void fit_os_dev_close(struct fit_ctx *ctx);

/*
 * The address to put in an SGE with ctx->pd->local_dma_lkey for @len
 * bytes of kernel memory at @p (a DMA mapping where the device needs
 * one), and its release.  Never fails for kmalloc'ed or page memory.
 */
u64 fit_os_map(struct fit_ctx *ctx, void *p, size_t len);
void fit_os_unmap(struct fit_ctx *ctx, u64 addr, size_t len);

/*
 * Open @len bytes at @p to RDMA WRITE by peers (a caller's reply buffer):
 * fills @mr with the remote address and rkey.  0, -ENOMEM, -ENOSPC.
 * LegoOS registers exactly this range, so a write after fit_os_unreg()
 * is refused; Linux uses the PD's global rkey (see Documentation/fit.md).
 */
struct fit_mr {
	u64 addr;
	u32 rkey;
	size_t len;
	void *os;		/* the OS's handle */
};
int fit_os_reg(struct fit_ctx *ctx, void *p, size_t len, struct fit_mr *mr);
void fit_os_unreg(struct fit_ctx *ctx, struct fit_mr *mr);

/* ---- the bootstrap socket ------------------------------------------------ */

/*
 * Bind UDP @port on every address; each datagram is handed to
 * fit_hello_input(ctx, saddr, sport, data, len) (which copies it and may
 * be called from interrupt context).  0 or -EADDRINUSE, -ENOMEM.
 */
int fit_os_udp_open(struct fit_ctx *ctx, u16 port);
int fit_os_udp_send(struct fit_ctx *ctx, __be32 daddr, u16 dport,
		    const void *data, size_t len);
void fit_os_udp_close(struct fit_ctx *ctx);

/* Provided by the core for the shims. */
void fit_hello_input(struct fit_ctx *ctx, __be32 saddr, u16 sport,
		     const void *data, size_t len);

#endif /* _NET_FIT_FIT_OS_H */
