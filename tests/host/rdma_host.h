/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host stand-ins for what the verbs core (drivers/infiniband/core/) needs
 * from the kernel, from tests/host/rdma_host.c: kmalloc as malloc (so that
 * ASan sees each object's exact size) with a count of live objects and
 * injectable failures, mutexes (the tests are single-threaded), msleep
 * and the printk rate limiter.  printk, preemption and panic come from
 * host_stubs.c.
 */
#ifndef _RDMA_HOST_H
#define _RDMA_HOST_H

/* Live kmalloc objects: back to the starting value after a clean test. */
long rdma_host_live_objects(void);
/* Make every allocation after the next @n fail (-1: never). */
void rdma_host_fail_after(long n);

#endif /* _RDMA_HOST_H */
