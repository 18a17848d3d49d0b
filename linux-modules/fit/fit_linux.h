/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fit.ko's shim internals: what main.c (module parameters, life cycle,
 * exports) and os_linux.c (the fit_os_*() functions of net/fit/fit_os.h)
 * say to each other. The FIT core (net/fit/) does not include this.
 */
#ifndef _FIT_LINUX_H
#define _FIT_LINUX_H

#include "core.h"

/* os_linux.c */

/*
 * Register the module's ib_client, which tracks the RDMA devices that
 * fit_os_dev_open() may pick, for the whole life of the module (before
 * fit_start(), after fit_stop()).
 */
int fit_linux_client_register(void);
void fit_linux_client_unregister(void);

/* main.c */

/*
 * The device FIT runs on is being unregistered (rdma link delete, or its
 * driver unloading): stop FIT now, from the ib_client's remove callback,
 * which must not return while the device is still in use.
 */
void fit_linux_dev_gone(struct fit_ctx *ctx);

#endif /* _FIT_LINUX_H */
