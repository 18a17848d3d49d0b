// SPDX-License-Identifier: GPL-2.0
/*
 * Red-black trees (<lego/rbtree.h>), written from the rules in Cormen,
 * Leiserson, Rivest and Stein, "Introduction to Algorithms", chapter 13:
 *
 *   1. every node is red or black;  2. the root is black;
 *   3. a red node has no red child;
 *   4. every path from a node down to a NULL link has the same number of
 *      black nodes (its black height).
 *
 * Differences from the book: there is no sentinel, so a missing child is
 * NULL and counts as black, and erase carries the parent of the "doubly
 * black" position separately because that position may be NULL.  The colour
 * lives in bit 0 of the parent pointer (nodes are word aligned), as in Linux.
 *
 * Every left/right case is written once with a direction: child(n, dir) is
 * n->rb_left for dir == 0 and n->rb_right for dir == 1, and rotate(x, dir)
 * moves x down towards dir (the book's LEFT-ROTATE is rotate(x, 0)).
 */
#include <lego/compiler.h>
#include <lego/rbtree.h>
#include <lego/types.h>

#define LEFT	0
#define RIGHT	1

static inline bool rb_is_black(const struct rb_node *node)
{
	return !node || (node->__rb_parent_color & RB_BLACK);
}

static inline bool rb_is_red(const struct rb_node *node)
{
	return !rb_is_black(node);
}

static inline unsigned long rb_color(const struct rb_node *node)
{
	return node->__rb_parent_color & RB_BLACK;
}

static inline void rb_set_color(struct rb_node *node, unsigned long color)
{
	node->__rb_parent_color = (unsigned long)rb_parent(node) | color;
}

static inline void rb_set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->__rb_parent_color = (unsigned long)parent | rb_color(node);
}

static inline struct rb_node **child(struct rb_node *node, int dir)
{
	return dir == LEFT ? &node->rb_left : &node->rb_right;
}

/* Which child of its parent @node is; @node must have a parent. */
static inline int rb_dir(const struct rb_node *node)
{
	return rb_parent(node)->rb_left == node ? LEFT : RIGHT;
}

/* Point @old's parent (or the root) at @new instead; @new may be NULL. */
static void rb_change_child(struct rb_node *old, struct rb_node *new,
			    struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Move @x down towards @dir; its child on the other side, y, takes its
 * place and y's inner subtree moves across to @x.  Colours are unchanged.
 */
static void rb_rotate(struct rb_node *x, int dir, struct rb_root *root)
{
	struct rb_node *y = *child(x, !dir);
	struct rb_node *inner = *child(y, dir);
	struct rb_node *parent = rb_parent(x);

	*child(x, !dir) = inner;
	if (inner)
		rb_set_parent(inner, x);
	rb_set_parent(y, parent);
	rb_change_child(x, y, parent, root);
	*child(y, dir) = x;
	rb_set_parent(x, y);
}

/* CLRS RB-INSERT-FIXUP: @node is red and may have a red parent. */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;
	int dir;

	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		/* A red parent is never the root, so gparent exists. */
		gparent = rb_parent(parent);
		dir = rb_dir(parent);
		uncle = *child(gparent, !dir);
		if (rb_is_red(uncle)) {		/* case 1: recolour, go up */
			rb_set_color(parent, RB_BLACK);
			rb_set_color(uncle, RB_BLACK);
			rb_set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}
		if (node == *child(parent, !dir)) {	/* case 2: make it outer */
			rb_rotate(parent, dir, root);
			parent = node;
		}
		rb_set_color(parent, RB_BLACK);		/* case 3 */
		rb_set_color(gparent, RB_RED);
		rb_rotate(gparent, !dir, root);
		break;
	}
	rb_set_color(root->rb_node, RB_BLACK);
}

/*
 * CLRS RB-DELETE-FIXUP: the subtree at child @dir of @parent (the node
 * there, @node, may be NULL) is one black short of its sibling's.
 */
static void rb_erase_fixup(struct rb_node *node, struct rb_node *parent,
			   int dir, struct rb_root *root)
{
	struct rb_node *sibling;

	while (parent && rb_is_black(node)) {
		/* The sibling subtree has black height >= 1: it is not NULL. */
		sibling = *child(parent, !dir);
		if (rb_is_red(sibling)) {	/* case 1: make the sibling black */
			rb_set_color(sibling, RB_BLACK);
			rb_set_color(parent, RB_RED);
			rb_rotate(parent, dir, root);
			sibling = *child(parent, !dir);
		}
		if (rb_is_black(sibling->rb_left) && rb_is_black(sibling->rb_right)) {
			rb_set_color(sibling, RB_RED);	/* case 2: move up */
			node = parent;
			parent = rb_parent(node);
			if (parent)
				dir = rb_dir(node);
			continue;
		}
		if (rb_is_black(*child(sibling, !dir))) {	/* case 3 */
			rb_set_color(*child(sibling, dir), RB_BLACK);
			rb_set_color(sibling, RB_RED);
			rb_rotate(sibling, !dir, root);
			sibling = *child(parent, !dir);
		}
		rb_set_color(sibling, rb_color(parent));	/* case 4 */
		rb_set_color(parent, RB_BLACK);
		rb_set_color(*child(sibling, !dir), RB_BLACK);
		rb_rotate(parent, dir, root);
		return;
	}
	if (node)
		rb_set_color(node, RB_BLACK);
}

/* CLRS RB-TRANSPLANT: @new (maybe NULL) takes @old's place under its parent. */
static void rb_transplant(struct rb_node *old, struct rb_node *new,
			  struct rb_root *root)
{
	struct rb_node *parent = rb_parent(old);

	rb_change_child(old, new, parent, root);
	if (new)
		rb_set_parent(new, parent);
}

static struct rb_node *rb_leftmost(struct rb_node *node)
{
	while (node->rb_left)
		node = node->rb_left;
	return node;
}

/* Unlink @node, which has two children, by moving its successor into place. */
static void rb_erase_inner(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *succ = rb_leftmost(node->rb_right);
	struct rb_node *fix = succ->rb_right, *fix_parent = succ;
	unsigned long removed = rb_color(succ);
	int dir = RIGHT;

	if (rb_parent(succ) != node) {
		fix_parent = rb_parent(succ);
		dir = LEFT;
		rb_transplant(succ, fix, root);
		succ->rb_right = node->rb_right;
		rb_set_parent(succ->rb_right, succ);
	}
	rb_transplant(node, succ, root);
	succ->rb_left = node->rb_left;
	rb_set_parent(succ->rb_left, succ);
	rb_set_color(succ, rb_color(node));
	if (removed == RB_BLACK)
		rb_erase_fixup(fix, fix_parent, dir, root);
}

/* CLRS RB-DELETE. */
void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(node), *only;
	int dir = parent ? rb_dir(node) : LEFT;

	if (node->rb_left && node->rb_right) {
		rb_erase_inner(node, root);
		return;
	}
	only = node->rb_left ? node->rb_left : node->rb_right;
	rb_transplant(node, only, root);
	if (rb_color(node) == RB_BLACK)
		rb_erase_fixup(only, parent, dir, root);
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root)
{
	*new = *victim;
	if (victim->rb_left)
		rb_set_parent(victim->rb_left, new);
	if (victim->rb_right)
		rb_set_parent(victim->rb_right, new);
	rb_change_child(victim, new, rb_parent(victim), root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	return root->rb_node ? rb_leftmost(root->rb_node) : NULL;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	struct rb_node *node = root->rb_node;

	while (node && node->rb_right)
		node = node->rb_right;
	return node;
}

/* The in-order neighbour of @node towards @dir (RIGHT: next). */
static struct rb_node *rb_step(const struct rb_node *node, int dir)
{
	struct rb_node *n = *child((struct rb_node *)node, dir), *parent;

	if (n) {
		while (*child(n, !dir))
			n = *child(n, !dir);
		return n;
	}
	while ((parent = rb_parent(node)) && node == *child(parent, dir))
		node = parent;
	return parent;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	return RB_EMPTY_NODE(node) ? NULL : rb_step(node, RIGHT);
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	return RB_EMPTY_NODE(node) ? NULL : rb_step(node, LEFT);
}

/* The first node of @node's subtree in post-order: its deepest leftmost leaf. */
static struct rb_node *rb_deepest_left(struct rb_node *node)
{
	for (;;) {
		if (node->rb_left)
			node = node->rb_left;
		else if (node->rb_right)
			node = node->rb_right;
		else
			return node;
	}
}

struct rb_node *rb_first_postorder(const struct rb_root *root)
{
	return root->rb_node ? rb_deepest_left(root->rb_node) : NULL;
}

struct rb_node *rb_next_postorder(const struct rb_node *node)
{
	struct rb_node *parent;

	if (!node)
		return NULL;
	parent = rb_parent(node);
	if (parent && node == parent->rb_left && parent->rb_right)
		return rb_deepest_left(parent->rb_right);
	return parent;
}
