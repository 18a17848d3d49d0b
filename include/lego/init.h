/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Init calls: functions run once at boot, in level order, registered in the
 * .initcall<level> linker sections instead of a hand-edited list.
 *
 *   core     - core kernel services that everything else uses
 *   arch     - architecture devices (timers, interrupt controllers)
 *   subsys   - subsystems (PCI bus, netdev core)
 *   device   - drivers (NICs, RDMA providers)
 *   late     - things that need all of the above
 *
 * An init call returns 0 or a negative errno; failures are logged with the
 * function's name and boot continues.
 */
#ifndef _LEGO_INIT_H
#define _LEGO_INIT_H

#include <lego/compiler.h>

#define __init		__section(".init.text") __cold
#define __initdata	__section(".init.data")

typedef int (*initcall_t)(void);

#define __define_initcall(fn, level)					\
	static const initcall_t __initcall_##fn##level __used		\
	__section(".initcall" #level ".init") = fn

#define core_initcall(fn)	__define_initcall(fn, 1)
#define arch_initcall(fn)	__define_initcall(fn, 3)
#define subsys_initcall(fn)	__define_initcall(fn, 4)
#define device_initcall(fn)	__define_initcall(fn, 6)
#define late_initcall(fn)	__define_initcall(fn, 7)

void do_initcalls(void);

#endif /* _LEGO_INIT_H */
