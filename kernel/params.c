// SPDX-License-Identifier: GPL-2.0
/*
 * Boot parameter parsing (see include/lego/params.h).
 *
 * The command line is a list of words separated by spaces; a word is `name`
 * or `name=value`, and a value may be double-quoted to hold spaces.  Words
 * are looked up in the .lego_params table.  Anything wrong is reported, with
 * the list of valid names, and the variable keeps its default: a typo on a
 * boot line must never stop a machine from booting.
 *
 * params_parse() is pure logic and is unit-tested on the host.
 */
#include <lego/errno.h>
#include <lego/kernel.h>
#include <lego/params.h>

#define WORD_MAX	256

static const char *const type_names[] = {
	[PARAM_BOOL]	 = "boolean (0/1, y/n, on/off)",
	[PARAM_INT]	 = "integer",
	[PARAM_UINT]	 = "unsigned integer",
	[PARAM_ULONG]	 = "unsigned integer",
	[PARAM_U64]	 = "unsigned integer",
	[PARAM_SIZE]	 = "size with optional K/M/G/T suffix",
	[PARAM_STRING]	 = "string",
	[PARAM_CALLBACK] = "see its description",
};

static int set_bool(const struct kernel_param *p, const char *val)
{
	bool b;

	if (!val)
		b = true;
	else if (kstrtobool(val, &b))
		return -EINVAL;
	*(bool *)p->var = b;
	return 0;
}

static int set_number(const struct kernel_param *p, const char *val)
{
	unsigned long long u;
	long long s;
	int ret;

	switch (p->type) {
	case PARAM_INT:
		ret = kstrtoll(val, 0, &s);
		if (!ret && (s < INT_MIN || s > INT_MAX))
			ret = -ERANGE;
		if (!ret)
			*(int *)p->var = (int)s;
		return ret;
	case PARAM_UINT:
		ret = kstrtoull(val, 0, &u);
		if (!ret && u > UINT_MAX)
			ret = -ERANGE;
		if (!ret)
			*(unsigned int *)p->var = (unsigned int)u;
		return ret;
	case PARAM_ULONG:
	case PARAM_U64:
		ret = kstrtoull(val, 0, &u);
		if (!ret)
			*(u64 *)p->var = u;
		return ret;
	case PARAM_SIZE: {
		u64 sz;

		ret = parse_size(val, &sz);
		if (!ret)
			*(u64 *)p->var = sz;
		return ret;
	}
	default:
		return -EINVAL;
	}
}

static int param_apply(const struct kernel_param *p, const char *val)
{
	if (p->type == PARAM_BOOL)
		return set_bool(p, val);
	if (!val)
		return -EINVAL;	/* only booleans may stand alone */
	switch (p->type) {
	case PARAM_STRING:
		if (strnlen(val, p->size) >= p->size)
			return -E2BIG;	/* and the default stays intact */
		strscpy(p->var, val, p->size);
		return 0;
	case PARAM_CALLBACK:
		return p->set(val);
	default:
		return set_number(p, val);
	}
}

static const struct kernel_param *
param_find(const char *name, const struct kernel_param *start,
	   const struct kernel_param *end)
{
	const struct kernel_param *p;

	for (p = start; p < end; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static void list_valid(const struct kernel_param *start,
		       const struct kernel_param *end)
{
	const struct kernel_param *p;

	printk(KERN_WARNING "params: valid parameters:\n");
	for (p = start; p < end; p++)
		printk(KERN_WARNING "params:   %-22s %s\n", p->name, p->desc);
}

/*
 * Copy the next word of @s into @word (quotes removed).  Returns a pointer
 * past it, or NULL at the end of the line.  Over-long words are truncated
 * and flagged in *@too_long.
 */
static const char *next_word(const char *s, char *word, bool *too_long)
{
	bool quoted = false;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	if (!*s)
		return NULL;
	*too_long = false;
	for (; *s; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*s == ' ' || *s == '\t' || *s == '\n'))
			break;
		if (n < WORD_MAX - 1)
			word[n++] = *s;
		else
			*too_long = true;
	}
	word[n] = '\0';
	return s;
}

static int parse_word(char *word, bool too_long, bool early,
		      const struct kernel_param *start,
		      const struct kernel_param *end)
{
	const struct kernel_param *p;
	char *val = strchr(word, '=');
	int ret;

	if (val)
		*val++ = '\0';
	p = param_find(word, start, end);
	if (!p) {
		if (early)
			return 0;	/* reported once, in the late pass */
		printk(KERN_WARNING "params: unknown parameter '%s%s%s' ignored\n",
		       word, val ? "=" : "", val ? val : "");
		return 1;
	}
	if (p->early != early)
		return 0;
	ret = too_long ? -E2BIG : param_apply(p, val);
	if (ret) {
		printk(KERN_WARNING
		       "params: invalid value '%s' for %s (expected %s: %s); keeping the default\n",
		       val ? val : "", p->name, type_names[p->type], p->desc);
		return 1;
	}
	return 0;
}

int params_parse(const char *cmdline, bool early,
		 const struct kernel_param *start,
		 const struct kernel_param *end)
{
	char word[WORD_MAX];
	bool too_long;
	int bad = 0;

	while ((cmdline = next_word(cmdline, word, &too_long)))
		bad += parse_word(word, too_long, early, start, end);
	if (bad && !early)
		list_valid(start, end);
	return bad;
}

#ifndef LEGO_HOST_TEST
extern const struct kernel_param __params_start[], __params_end[];

void parse_early_params(void)
{
	params_parse(boot_command_line, true, __params_start, __params_end);
}

void parse_boot_params(void)
{
	params_parse(boot_command_line, false, __params_start, __params_end);
}
#endif
