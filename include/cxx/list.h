// SPDX-License-Identifier: GPL-2.0
// Intrusive doubly linked list: the node lives in the element, so insertion never allocates
// and never fails (safe with IRQs off). Not thread-safe: protect it like a list_head.
#pragma once

#include <cxx/types.h>
#include <cxx/utility.h>
#include <cxx/warn.h>

namespace cxx {

class ListNode : Pinned {
public:
	constexpr ListNode() : prev_(this), next_(this) {}

	[[nodiscard]] bool linked() const { return next_ != this; }

private:
	template <typename T, ListNode T::*> friend class List;

	void insert_between(ListNode *prev, ListNode *next)
	{
		prev_ = prev;
		next_ = next;
		prev->next_ = this;
		next->prev_ = this;
	}
	void unlink()
	{
		prev_->next_ = next_;
		next_->prev_ = prev_;
		prev_ = next_ = this;
	}

	ListNode *prev_;
	ListNode *next_;
};

template <typename T, ListNode T::*Node> class List : Pinned {
public:
	constexpr List() = default;

	[[nodiscard]] bool empty() const { return !head_.linked(); }

	// O(n): for tests and debugfs, never for the fast path.
	[[nodiscard]] usize size() const
	{
		usize n = 0;
		for (const ListNode *p = head_.next_; p != &head_; p = p->next_)
			n++;
		return n;
	}

	void push_back(T &item)
	{
		ListNode &n = item.*Node;
		if (CXX_WARN_ON(n.linked()))
			return;
		n.insert_between(head_.prev_, &head_);
	}

	void push_front(T &item)
	{
		ListNode &n = item.*Node;
		if (CXX_WARN_ON(n.linked()))
			return;
		n.insert_between(&head_, head_.next_);
	}

	// The first element, unlinked; null when empty.
	T *pop_front()
	{
		if (empty())
			return nullptr;
		ListNode *n = head_.next_;
		n->unlink();
		return owner(n);
	}

	[[nodiscard]] T *front() const { return empty() ? nullptr : owner(head_.next_); }

	// The caller must know the item is on this list.
	void remove(T &item)
	{
		ListNode &n = item.*Node;
		if (CXX_WARN_ON(!n.linked()))
			return;
		n.unlink();
	}

	// Moves every element of `other` to the back of this list, in order.
	void splice_back(List &other)
	{
		while (T *item = other.pop_front())
			push_back(*item);
	}

	// The element after item (listed), or null at the end.
	[[nodiscard]] T *next(const T &item) const
	{
		const ListNode *n = (item.*Node).next_;
		return n == &head_ ? nullptr : owner(n);
	}

	class Iterator {
	public:
		explicit Iterator(ListNode *n) : n_(n) {}
		T &operator*() const { return *owner(n_); }
		Iterator &operator++()
		{
			n_ = n_->next_;
			return *this;
		}
		bool operator==(const Iterator &o) const = default;

	private:
		ListNode *n_;
	};

	// Iteration must not unlink the current element (use pop_front loops for that).
	Iterator begin() { return Iterator(head_.next_); }
	Iterator end() { return Iterator(&head_); }

private:
	static T *owner(const ListNode *n)
	{
		// container_of for a member pointer; a dummy non-null base keeps it free of
		// null-pointer arithmetic.
		const uptr base = 4096;
		const uptr off = reinterpret_cast<uptr>(
			&(reinterpret_cast<const T *>(base)->*Node)) - base;
		return reinterpret_cast<T *>(reinterpret_cast<uptr>(n) - off);
	}

	ListNode head_;
};

} // namespace cxx
