// SPDX-License-Identifier: GPL-2.0
/*
 * Backtraces by walking the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer).  Every frame is read with read_u64_nofault(),
 * so a corrupt chain ends the trace instead of faulting again.
 */
#include <lego/kernel.h>
#include <asm/traps.h>

#define MAX_FRAMES	32

void show_stack_from(unsigned long rbp)
{
	int depth;

	for (depth = 0; depth < MAX_FRAMES && rbp; depth++) {
		u64 next, ret;

		if (rbp & 7 || rbp < 0xffff800000000000UL)
			break;
		if (read_u64_nofault((void *)rbp, &next) ||
		    read_u64_nofault((void *)(rbp + 8), &ret))
			break;
		if (!ret)
			break;
		pr_emerg(" [<%016llx>] %pS\n", (unsigned long long)ret,
			 (void *)ret);
		if (next <= rbp)
			break;	/* stacks grow down: callers live above */
		rbp = next;
	}
}

void dump_stack(void)
{
	pr_emerg("Call Trace:\n");
	show_stack_from((unsigned long)__builtin_frame_address(0));
}
