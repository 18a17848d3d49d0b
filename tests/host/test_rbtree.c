// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests for lib/rbtree.c.
 *
 * check_tree() walks the whole tree and asserts every red-black rule plus
 * the structure the rules rely on: parent pointers match child links, keys
 * are in order, the root is black, no red node has a red child, every path
 * has the same black height (so the depth is at most 2 log2(n + 1)), and
 * the node count matches.  It runs after every single insert and erase of
 * thousands of random, ascending and descending keys.  The iterators,
 * rb_replace_node, rb_add/rb_find and the post-order walk (used to free a
 * whole tree, which ASan then checks) are tested on the same trees.
 */
#include "host_test.h"

#include "lego_host_rename.h"

#include <lego/rbtree.h>

struct item {
	struct rb_node node;
	long key;
	bool in_tree;
	bool visited;
};

static bool node_red(const struct rb_node *n)
{
	return n && !(n->__rb_parent_color & RB_BLACK);
}

static long key_of(const struct rb_node *n)
{
	return rb_entry(n, struct item, node)->key;
}

/*
 * Check the subtree at @n, whose parent must be @parent and whose keys must
 * lie in [@lo, @hi].  Returns its black height; counts its nodes in @count.
 */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent,
			 long lo, long hi, unsigned long *count)
{
	int left, right;

	if (!n)
		return 1;
	assert_ptr_equal(rb_parent(n), parent);
	assert_true(key_of(n) >= lo && key_of(n) <= hi);
	assert_false(node_red(n) && (node_red(n->rb_left) || node_red(n->rb_right)));
	left = check_subtree(n->rb_left, n, lo, key_of(n), count);
	right = check_subtree(n->rb_right, n, key_of(n), hi, count);
	assert_int_equal(left, right);
	(*count)++;
	return left + !node_red(n);
}

static void check_tree(const struct rb_root *root, unsigned long expect)
{
	unsigned long count = 0;

	assert_false(node_red(root->rb_node));
	check_subtree(root->rb_node, NULL, LONG_MIN, LONG_MAX, &count);
	assert_int_equal(count, expect);
	assert_int_equal(RB_EMPTY_ROOT(root), expect == 0);
}

static void insert(struct rb_root *root, struct item *it)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (it->key < key_of(parent))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color(&it->node, root);
	it->in_tree = true;
}

static void erase(struct rb_root *root, struct item *it)
{
	rb_erase(&it->node, root);
	RB_CLEAR_NODE(&it->node);
	it->in_tree = false;
}

/* The in-order walks both ways give exactly the keys in @items that are in. */
static void check_order(const struct rb_root *root, const struct item *items,
			size_t n)
{
	struct rb_node *node = rb_first(root);
	size_t i;

	for (i = 0; i < n; i++) {
		if (!items[i].in_tree)
			continue;
		assert_non_null(node);
		assert_int_equal(key_of(node), items[i].key);
		node = rb_next(node);
	}
	assert_null(node);
	node = rb_last(root);
	for (i = n; i-- > 0;) {
		if (!items[i].in_tree)
			continue;
		assert_int_equal(key_of(node), items[i].key);
		node = rb_prev(node);
	}
	assert_null(node);
}

static void shuffle(size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		idx[i] = i;
	for (i = n; i > 1; i--) {
		size_t j = rng_below(i), t = idx[i - 1];

		idx[i - 1] = idx[j];
		idx[j] = t;
	}
}

/* Items with keys 0, 2, 4, ... so that items[i] is the i-th smallest. */
static struct item *make_items(size_t n)
{
	struct item *items = calloc(n, sizeof(*items));
	size_t i;

	assert_non_null(items);
	for (i = 0; i < n; i++) {
		items[i].key = 2 * (long)i;
		RB_CLEAR_NODE(&items[i].node);
	}
	return items;
}

/* Insert all in @order, then erase all in a fresh random order. */
static void insert_erase_all(size_t n, const size_t *order)
{
	struct rb_root root = RB_ROOT;
	struct item *items = make_items(n);
	size_t *idx = malloc(n * sizeof(*idx));
	size_t i;

	for (i = 0; i < n; i++) {
		insert(&root, &items[order[i]]);
		check_tree(&root, i + 1);
	}
	check_order(&root, items, n);
	shuffle(idx, n);
	for (i = 0; i < n; i++) {
		erase(&root, &items[idx[i]]);
		check_tree(&root, n - i - 1);
		if (i % 256 == 0)
			check_order(&root, items, n);
	}
	assert_null(rb_first(&root));
	assert_null(rb_last(&root));
	free(idx);
	free(items);
}

static void test_random(void **state)
{
	size_t n = 3000, *order = malloc(n * sizeof(*order));

	(void)state;
	shuffle(order, n);
	insert_erase_all(n, order);
	free(order);
}

static void test_sorted_input(void **state)
{
	size_t n = 2048, *order = malloc(n * sizeof(*order)), i;

	(void)state;
	for (i = 0; i < n; i++)
		order[i] = i;
	insert_erase_all(n, order);
	for (i = 0; i < n; i++)
		order[i] = n - 1 - i;
	insert_erase_all(n, order);
	free(order);
}

/* Random interleaving of inserts and erases, with duplicates in key order. */
static void test_mixed(void **state)
{
	size_t n = 1500, live = 0, op;
	struct rb_root root = RB_ROOT;
	struct item *items = make_items(n);

	(void)state;
	for (op = 0; op < 20000; op++) {
		struct item *it = &items[rng_below(n)];

		if (it->in_tree) {
			erase(&root, it);
			live--;
		} else {
			insert(&root, it);
			live++;
		}
		check_tree(&root, live);
		if (op % 1000 == 0)
			check_order(&root, items, n);
	}
	check_order(&root, items, n);
	free(items);
}

static void test_small_trees(void **state)
{
	struct item items[4];
	struct rb_root root = RB_ROOT;
	size_t *order = malloc(4 * sizeof(*order)), perm, i;

	(void)state;
	assert_true(RB_EMPTY_ROOT(&root));
	assert_null(rb_first(&root));
	assert_null(rb_first_postorder(&root));
	/* All 24 insertion orders of four keys, erasing each key first. */
	for (perm = 0; perm < 24 * 4; perm++) {
		size_t p = perm / 4, pool[4] = { 0, 1, 2, 3 }, left = 4;

		for (i = 0; i < 4; i++) {
			size_t j = p % left;

			p /= left;
			order[i] = pool[j];
			pool[j] = pool[--left];
			items[i].key = (long)i;
			items[i].in_tree = false;
		}
		for (i = 0; i < 4; i++)
			insert(&root, &items[order[i]]);
		check_tree(&root, 4);
		erase(&root, &items[perm % 4]);
		assert_true(RB_EMPTY_NODE(&items[perm % 4].node));
		assert_null(rb_next(&items[perm % 4].node));
		check_tree(&root, 3);
		check_order(&root, items, 4);
		for (i = 0; i < 4; i++)
			if (items[i].in_tree)
				erase(&root, &items[i]);
		check_tree(&root, 0);
	}
	free(order);
}

static void test_replace(void **state)
{
	size_t n = 500, i;
	struct rb_root root = RB_ROOT;
	struct item *items = make_items(n), spare;

	(void)state;
	for (i = 0; i < n; i++)
		insert(&root, &items[i]);
	for (i = 0; i < n; i += 7) {
		spare.key = items[i].key;
		rb_replace_node(&items[i].node, &spare.node, &root);
		check_tree(&root, n);
		/* And back, so that items[] describes the tree again. */
		rb_replace_node(&spare.node, &items[i].node, &root);
		check_tree(&root, n);
	}
	check_order(&root, items, n);
	free(items);
}

static bool item_less(struct rb_node *a, const struct rb_node *b)
{
	return key_of(a) < key_of(b);
}

static int item_cmp(const void *key, const struct rb_node *n)
{
	long k = *(const long *)key;

	return (k > key_of(n)) - (k < key_of(n));
}

static void test_add_find(void **state)
{
	struct item items[300];
	struct rb_root root = RB_ROOT;
	struct rb_node *node;
	long key;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].key = (long)rng_below(50);
		rb_add(&items[i].node, &root, item_less);
		check_tree(&root, i + 1);
	}
	/* Equal keys stay in insertion order. */
	for (node = rb_first(&root); node; node = rb_next(node)) {
		struct item *it = rb_entry(node, struct item, node);
		struct rb_node *next = rb_next(node);

		if (next && key_of(next) == it->key)
			assert_true(rb_entry(next, struct item, node) > it);
	}
	for (key = -1; key <= 50; key++) {
		bool present = false;

		for (i = 0; i < ARRAY_SIZE(items); i++)
			present |= items[i].key == key;
		node = rb_find(&key, &root, item_cmp);
		assert_int_equal(node != NULL, present);
		if (node)
			assert_int_equal(key_of(node), key);
	}
}

/* The post-order walk visits children first; use it to free every node. */
static void test_postorder(void **state)
{
	struct rb_root root = RB_ROOT;
	struct item *pos, *n;
	struct rb_node *node;
	size_t count = 0, i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		struct item *it = calloc(1, sizeof(*it));

		assert_non_null(it);
		it->key = (long)rng_below(100000);
		insert(&root, it);
	}
	for (node = rb_first_postorder(&root); node; node = rb_next_postorder(node)) {
		if (node->rb_left)
			assert_true(rb_entry(node->rb_left, struct item, node)->visited);
		if (node->rb_right)
			assert_true(rb_entry(node->rb_right, struct item, node)->visited);
		assert_false(rb_entry(node, struct item, node)->visited);
		rb_entry(node, struct item, node)->visited = true;
		count++;
	}
	assert_int_equal(count, 1000);
	count = 0;
	rbtree_postorder_for_each_entry_safe(pos, n, &root, node) {
		free(pos);
		count++;
	}
	assert_int_equal(count, 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_trees),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_sorted_input),
		cmocka_unit_test(test_mixed),
		cmocka_unit_test(test_replace),
		cmocka_unit_test(test_add_find),
		cmocka_unit_test(test_postorder),
	};

	host_test_seed("rbtree");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
