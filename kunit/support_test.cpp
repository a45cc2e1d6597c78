// SPDX-License-Identifier: GPL-2.0
// Cases of the cxx_support suite: the support library of include/cxx, in a booted kernel.
#include <cxx/atomic.h>
#include <cxx/list.h>
#include <cxx/new.h>
#include <cxx/protected.h>
#include <cxx/result.h>
#include <cxx/test.h>

using namespace cxx;

extern "C" cxx_lock_class cxx_test_spin_class;
extern "C" cxx_lock_class cxx_test_mutex_class;
extern "C" cxx_lock_class cxx_test_protected_class;

namespace {

Result<int> parse_digit(char c)
{
	if (c < '0' || c > '9')
		return Error(err::EINVAL);
	return c - '0';
}

Result<int> sum_digits(const char *s)
{
	int sum = 0;
	for (; *s; s++)
		sum += TRY(parse_digit(*s));
	return sum;
}

Result<void> check_positive(int v)
{
	if (v <= 0)
		return Error(-err::ERANGE);
	return {};
}

Result<void> ensure_nonzero(int v)
{
	CXX_ENSURE(v != 0, err::EINVAL);
	return {};
}

// Counts live instances, to prove constructors and destructors run exactly once.
struct Tracked {
	static inline constinit int live = 0;
	int v;
	explicit Tracked(int x) : v(x) { live++; }
	Tracked(Tracked &&o) : v(o.v) { live++; o.v = -1; }
	Tracked(const Tracked &) = delete;
	~Tracked() { live--; }
};

Result<Tracked> make_tracked(int v, bool fail)
{
	if (fail)
		return Error(err::ENOMEM);
	return Tracked(v);
}

struct Item {
	int id;
	ListNode node;
	explicit Item(int i) : id(i) {}
};
using ItemList = List<Item, &Item::node>;

constinit ItemList static_list;

struct Shape {
	static inline constinit int destroyed = 0;
	virtual ~Shape() { destroyed++; }
	virtual int sides() const = 0;
};
struct Square final : Shape {
	int sides() const override { return 4; }
};

} // namespace

CXX_TEST(result_value)
{
	auto r = parse_digit('7');
	EXPECT(r.ok());
	EXPECT_EQ(r.value(), 7);
	EXPECT_EQ(r.errno_or_zero(), 0);
}

CXX_TEST(result_error)
{
	auto r = parse_digit('x');
	EXPECT(!r.ok());
	EXPECT_EQ(r.error().code(), -err::EINVAL);
	EXPECT_EQ(r.errno_or_zero(), -err::EINVAL);
	EXPECT_EQ(r.value_or(42), 42);
	// Positive and negative errno spellings mean the same error.
	EXPECT(Error(err::EBUSY) == Error(-err::EBUSY));
}

CXX_TEST(result_void)
{
	EXPECT(check_positive(3).ok());
	auto r = check_positive(-1);
	EXPECT(!r.ok());
	EXPECT_EQ(r.errno_or_zero(), -err::ERANGE);
}

CXX_TEST(result_move_only)
{
	EXPECT_EQ(Tracked::live, 0);
	{
		auto r = make_tracked(5, false);
		EXPECT(r.ok());
		EXPECT_EQ(r.value().v, 5);
		Tracked t = move(r).release_value();
		EXPECT_EQ(t.v, 5);
		auto bad = make_tracked(1, true);
		EXPECT(!bad.ok());
	}
	EXPECT_EQ(Tracked::live, 0);
}

CXX_TEST(try_propagates)
{
	EXPECT_EQ(sum_digits("1234").value_or(-1), 10);
	auto r = sum_digits("12a4");
	EXPECT_EQ(r.errno_or_zero(), -err::EINVAL);
}

CXX_TEST(ensure_passes)
{
	// Only the passing side: the failing side WARNs, which the harness counts as a splat.
	EXPECT(ensure_nonzero(1).ok());
}

CXX_TEST(new_gfp_kernel)
{
	EXPECT_EQ(Tracked::live, 0);
	Tracked *t = new (gfp_kernel) Tracked(9);
	EXPECT(t != nullptr);
	if (t) {
		EXPECT_EQ(t->v, 9);
		EXPECT_EQ(Tracked::live, 1);
		delete t;
	}
	EXPECT_EQ(Tracked::live, 0);
}

CXX_TEST(new_gfp_atomic_irqs_off)
{
	SpinLock lock;
	lock.init(cxx_test_spin_class, "test_spin");
	SpinIrqSaveGuard guard(lock);
	EXPECT(cxx_irqs_disabled());
	Item *it = new (gfp_atomic) Item(3);
	EXPECT(it != nullptr);
	if (it) {
		EXPECT_EQ(it->id, 3);
		delete it;
	}
}

CXX_TEST(new_virtual_delete)
{
	int before = Shape::destroyed;
	Shape *s = new (gfp_kernel) Square();
	EXPECT(s != nullptr);
	if (s) {
		EXPECT_EQ(s->sides(), 4);
		delete s;	// deleting destructor through the vtable, sized delete
	}
	EXPECT_EQ(Shape::destroyed, before + 1);
}

CXX_TEST(list_order)
{
	Item a(1), b(2), c(3);
	ItemList l;
	EXPECT(l.empty());
	l.push_back(b);
	l.push_back(c);
	l.push_front(a);
	EXPECT_EQ(l.size(), 3u);
	int expect = 1;
	for (Item &i : l)
		EXPECT_EQ(i.id, expect++);
	EXPECT_EQ(l.front()->id, 1);
	EXPECT_EQ(l.pop_front()->id, 1);
	EXPECT_EQ(l.pop_front()->id, 2);
	EXPECT_EQ(l.pop_front()->id, 3);
	EXPECT(l.pop_front() == nullptr);
	EXPECT(!a.node.linked());
}

CXX_TEST(list_remove_and_splice)
{
	Item a(1), b(2), c(3), d(4);
	ItemList l, other;
	l.push_back(a);
	l.push_back(b);
	l.push_back(c);
	l.remove(b);
	EXPECT(!b.node.linked());
	EXPECT_EQ(l.size(), 2u);
	other.push_back(d);
	other.push_back(b);
	l.splice_back(other);
	EXPECT(other.empty());
	const int want[] = { 1, 3, 4, 2 };
	int n = 0;
	for (Item &i : l)
		EXPECT_EQ(i.id, want[n++]);
	EXPECT_EQ(n, 4);
	while (l.pop_front())
		;
}

CXX_TEST(list_constinit_static)
{
	// A constinit static head is self-linked before any code runs (no constructor).
	EXPECT(static_list.empty());
	Item a(7);
	static_list.push_back(a);
	EXPECT_EQ(static_list.front()->id, 7);
	static_list.remove(a);
	EXPECT(static_list.empty());
}

CXX_TEST(atomic_ops)
{
	Atomic<int> a(5);
	EXPECT_EQ(a.load(Order::relaxed), 5);
	EXPECT_EQ(a.fetch_add(2, Order::acq_rel), 5);
	EXPECT_EQ(a.fetch_sub(1, Order::acq_rel), 7);
	int expected = 3;
	EXPECT(!a.compare_exchange(expected, 9, Order::acq_rel, Order::acquire));
	EXPECT_EQ(expected, 6);
	EXPECT(a.compare_exchange(expected, 9, Order::acq_rel, Order::acquire));
	EXPECT_EQ(a.exchange(1, Order::seq_cst), 9);
	a.store(0, Order::release);
	EXPECT_EQ(a.load(Order::acquire), 0);
	Atomic<void *> p;
	EXPECT(p.load(Order::relaxed) == nullptr);
}

CXX_TEST(counter)
{
	Counter c;
	EXPECT_EQ(c.read(), 0u);
	c.inc();
	c.add(41);
	EXPECT_EQ(c.read(), 42u);
}

CXX_TEST(spin_guard)
{
	// Process context, IRQs on: this lock class is never taken from an interrupt.
	SpinLock lock;
	lock.init(cxx_test_spin_class, "test_spin");
	{
		SpinGuard g(lock);
		EXPECT(lock.is_locked());
	}
	EXPECT(!lock.is_locked());
}

CXX_TEST(spin_irqsave_guard)
{
	SpinLock lock;
	lock.init(cxx_test_spin_class, "test_spin");
	bool was_off = cxx_irqs_disabled();
	{
		SpinIrqSaveGuard g(lock);
		EXPECT(cxx_irqs_disabled());
		EXPECT(lock.is_locked());
	}
	EXPECT_EQ(cxx_irqs_disabled(), was_off);
	EXPECT(!lock.is_locked());
}

CXX_TEST(mutex_guard)
{
	Mutex m;
	m.init(cxx_test_mutex_class, "test_mutex");
	{
		MutexGuard g(m);
		EXPECT(m.is_locked());
	}
	EXPECT(!m.is_locked());
	m.destroy();
}

CXX_TEST(protected_with)
{
	struct Stats {
		int packets = 0;
		int bytes = 0;
	};
	Protected<Stats> stats(cxx_test_protected_class, "test_protected");
	stats.with([](Stats &s) {
		s.packets++;
		s.bytes += 100;
	});
	int bytes = stats.with([&](Stats &s) {
		EXPECT(stats.is_locked());
		EXPECT(cxx_irqs_disabled());
		return s.bytes;
	});
	EXPECT_EQ(bytes, 100);
	EXPECT(!stats.is_locked());
}

CXX_TEST(utility)
{
	static_assert(min(3, 4) == 3 && max(3, 4) == 4);
	static_assert(is_same_v<remove_cvref_t<const int &>, int>);
	static_assert(trivially_destructible<ItemList>, "list heads must be usable as statics");
	static_assert(trivially_destructible<Atomic<int>>);
	int a = 1, b = 2;
	swap(a, b);
	EXPECT_EQ(a, 2);
	EXPECT_EQ(exchange(b, 5), 1);
	EXPECT_EQ(b, 5);
}
