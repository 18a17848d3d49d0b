// SPDX-License-Identifier: GPL-2.0
/*
 * CPU exceptions.
 *
 * A kernel-mode fault at an instruction listed in the exception table
 * resumes at its fixup (this is how faulting accesses return -EFAULT);
 * any other kernel exception prints the registers, the faulting
 * instruction as symbol+offset and a backtrace, then panics.  NMIs are
 * used to stop CPUs during a panic.  User-mode exceptions arrive with the
 * processor manager (Phase 2); until then they are fatal too.
 */
#include <lego/kernel.h>
#include <lego/panic.h>
#include <lego/smp.h>
#include <asm/desc.h>
#include <asm/irq.h>
#include <asm/processor.h>
#include <asm/traps.h>

static const char *const trap_names[32] = {
	[X86_TRAP_DE] = "divide error",
	[X86_TRAP_DB] = "debug",
	[X86_TRAP_NMI] = "NMI",
	[X86_TRAP_BP] = "int3",
	[X86_TRAP_OF] = "overflow",
	[X86_TRAP_BR] = "bounds",
	[X86_TRAP_UD] = "invalid opcode",
	[X86_TRAP_NM] = "device not available",
	[X86_TRAP_DF] = "double fault",
	[X86_TRAP_TS] = "invalid TSS",
	[X86_TRAP_NP] = "segment not present",
	[X86_TRAP_SS] = "stack segment",
	[X86_TRAP_GP] = "general protection",
	[X86_TRAP_PF] = "page fault",
	[X86_TRAP_MF] = "x87 floating point",
	[X86_TRAP_AC] = "alignment check",
	[X86_TRAP_MC] = "machine check",
	[X86_TRAP_XF] = "SIMD floating point",
	[X86_TRAP_VE] = "virtualization",
	[X86_TRAP_CP] = "control protection",
};

extern const struct exception_table_entry __ex_table_start[],
	__ex_table_end[];

bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == regs->rip) {
			regs->rip = e->fixup;
			return true;
		}
	}
	return false;
}

void show_regs(const struct pt_regs *regs)
{
	pr_emerg("CPU: %d RIP: %04lx:%pS\n", smp_processor_id(), regs->cs,
		 (void *)regs->rip);
	pr_emerg("RSP: %04lx:%016lx EFLAGS: %08lx\n", regs->ss, regs->rsp,
		 regs->rflags);
	pr_emerg("RAX: %016lx RBX: %016lx RCX: %016lx\n", regs->rax,
		 regs->rbx, regs->rcx);
	pr_emerg("RDX: %016lx RSI: %016lx RDI: %016lx\n", regs->rdx,
		 regs->rsi, regs->rdi);
	pr_emerg("RBP: %016lx R08: %016lx R09: %016lx\n", regs->rbp,
		 regs->r8, regs->r9);
	pr_emerg("R10: %016lx R11: %016lx R12: %016lx\n", regs->r10,
		 regs->r11, regs->r12);
	pr_emerg("R13: %016lx R14: %016lx R15: %016lx\n", regs->r13,
		 regs->r14, regs->r15);
	pr_emerg("CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr2(),
		 read_cr3(), read_cr4());
	if (!user_mode(regs)) {
		pr_emerg("Call Trace:\n");
		pr_emerg(" [<%016lx>] %pS\n", regs->rip, (void *)regs->rip);
		show_stack_from(regs->rbp);
	}
}

static void describe_page_fault(const struct pt_regs *regs)
{
	unsigned long ec = regs->error_code;

	pr_emerg("BUG: unable to handle page fault for address %#lx\n",
		 read_cr2());
	pr_emerg("#PF: %s %s in %s mode (error code %#lx%s)\n",
		 ec & X86_PF_INSTR ? "instruction fetch" :
		 ec & X86_PF_WRITE ? "write" : "read",
		 ec & X86_PF_PROT ? "violates page protection" : "of a not-present page",
		 ec & X86_PF_USER ? "user" : "kernel", ec,
		 ec & X86_PF_RSVD ? ", reserved bit set" : "");
}

static void die(struct pt_regs *regs)
{
	unsigned long v = regs->vector;

	if (v == X86_TRAP_PF)
		describe_page_fault(regs);
	else
		pr_emerg("%s (vector %lu, error code %#lx)\n",
			 trap_names[v] ? trap_names[v] : "exception", v,
			 regs->error_code);
	show_regs(regs);
	panic("Fatal exception: %s at %pS",
	      trap_names[v] ? trap_names[v] : "exception", (void *)regs->rip);
}

static void handle_nmi(struct pt_regs *regs)
{
	if (panic_in_progress) {
		for (;;)
			halt();
	}
	pr_warn("NMI received on CPU %d at %pS\n", smp_processor_id(),
		(void *)regs->rip);
}



void x86_handle_interrupt(struct pt_regs *regs)
{
	unsigned long v = regs->vector;

	if (v >= 32) {
		x86_handle_irq(regs);
		return;
	}
	if (v == X86_TRAP_NMI) {
		handle_nmi(regs);
		return;
	}
	if (v != X86_TRAP_DF && v != X86_TRAP_MC && !user_mode(regs) &&
	    fixup_exception(regs))
		return;
	die(regs);
}

void trap_init(void)
{
	idt_setup();
	cpu_init_descriptors(0);
}
