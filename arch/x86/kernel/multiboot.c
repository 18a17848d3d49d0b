// SPDX-License-Identifier: GPL-2.0
/*
 * Decode the multiboot2 boot information handed over by GRUB2: command line,
 * memory map, modules and the ACPI RSDP.  Every tag is bounds-checked
 * against the information's total size before it is read.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>
#include <asm/multiboot2.h>
#include <asm/page.h>
#include <asm/setup.h>

struct boot_info boot_info;
char boot_command_line[COMMAND_LINE_SIZE];

static void copy_string(char *dst, size_t cap, const struct mb2_tag *tag,
			size_t hdr)
{
	size_t n = tag->size > hdr ? tag->size - hdr : 0;

	n = min(n, cap - 1);
	memcpy(dst, (const char *)tag + hdr, n);
	dst[n] = '\0';
}

static void parse_mmap(const struct mb2_tag_mmap *t)
{
	const u8 *p = (const u8 *)t->entries, *end = (const u8 *)t + t->size;

	if (t->entry_size < sizeof(struct mb2_mmap_entry)) {
		pr_err("multiboot2: memory map entry size %u is too small\n",
		       t->entry_size);
		return;
	}
	for (; p + t->entry_size <= end; p += t->entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		struct boot_mem_region *r;

		if (boot_info.nr_mem == BOOT_MEM_MAX) {
			pr_warn("multiboot2: more than %d memory ranges, rest ignored\n",
				BOOT_MEM_MAX);
			return;
		}
		r = &boot_info.mem[boot_info.nr_mem++];
		r->addr = e->addr;
		r->len = e->len;
		r->type = e->type;
	}
}

static void parse_module(const struct mb2_tag_module *t)
{
	struct boot_module *m;

	if (t->size < sizeof(*t) || t->mod_end < t->mod_start) {
		pr_err("multiboot2: malformed module tag ignored\n");
		return;
	}
	if (boot_info.nr_modules == BOOT_MODULES_MAX) {
		pr_warn("multiboot2: more than %d modules, rest ignored\n",
			BOOT_MODULES_MAX);
		return;
	}
	m = &boot_info.modules[boot_info.nr_modules++];
	m->start = t->mod_start;
	m->end = t->mod_end;
	copy_string(m->cmdline, sizeof(m->cmdline), (const void *)t, sizeof(*t));
}

static void parse_tag(const struct mb2_tag *tag, phys_addr_t pa)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		copy_string(boot_command_line, sizeof(boot_command_line), tag, 8);
		break;
	case MB2_TAG_LOADER_NAME:
		copy_string(boot_info.loader, sizeof(boot_info.loader), tag, 8);
		break;
	case MB2_TAG_MODULE:
		parse_module((const void *)tag);
		break;
	case MB2_TAG_MMAP:
		if (tag->size >= sizeof(struct mb2_tag_mmap))
			parse_mmap((const void *)tag);
		break;
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/*
		 * Prefer the ACPI 2.0+ copy (XSDT) when both are given.  A tag
		 * too short for even a revision 0 RSDP is not used: the ACPI
		 * code would read past it.
		 */
		if (tag->size >= 8 + ACPI_RSDP_V1_LEN &&
		    (!boot_info.rsdp || tag->type == MB2_TAG_ACPI_NEW))
			boot_info.rsdp = pa + 8;
		else if (tag->size < 8 + ACPI_RSDP_V1_LEN)
			pr_warn("multiboot2: ACPI tag of %u bytes is too short, ignored\n",
				tag->size);
		break;
	default:
		break;
	}
}

int multiboot2_parse(u32 magic, phys_addr_t info)
{
	const struct mb2_info *mbi;
	phys_addr_t pa, end;

	if (magic != MB2_BOOTLOADER_MAGIC) {
		pr_err("multiboot2: bad magic %#x: not booted by a multiboot2 loader\n",
		       magic);
		return -EINVAL;
	}
	if (info == 0 || info + sizeof(*mbi) > EARLY_MAP_SIZE) {
		pr_err("multiboot2: information at %#llx is out of reach\n",
		       (unsigned long long)info);
		return -EINVAL;
	}
	mbi = __va(info);
	end = info + mbi->total_size;
	if (mbi->total_size < sizeof(*mbi) + 8 || end > EARLY_MAP_SIZE) {
		pr_err("multiboot2: bad information size %u\n", mbi->total_size);
		return -EINVAL;
	}
	boot_info.info_start = info;
	boot_info.info_end = end;

	for (pa = info + sizeof(*mbi); pa + sizeof(struct mb2_tag) <= end;) {
		const struct mb2_tag *tag = __va(pa);

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->size < sizeof(*tag) || pa + tag->size > end) {
			pr_err("multiboot2: tag %u at %#llx has bad size %u; rest ignored\n",
			       tag->type, (unsigned long long)pa, tag->size);
			break;
		}
		parse_tag(tag, pa);
		pa += ALIGN(tag->size, 8);
	}
	return 0;
}
