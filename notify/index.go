package notify

import (
	"container/heap"
	"time"
)

// slot holds one reminder of the plan, and its place in the index.
type slot struct {
	r Reminder
	// pos is the slot's position in the queue, -1 once out of it.
	pos int
	// due is set once the slot has left the queue for the due set.
	due bool
}

// index orders the planned reminders by due time, so that a sweep looks only at what has
// come due: a min-heap of the reminders still in the future, and the set of those that are
// due but not yet resolved (sent, failed, moved or past). A sweep costs O(due + k log n) for
// k newly due reminders, whatever the number n planned.
type index struct {
	queue queue
	due   map[*slot]struct{}
}

func newIndex() *index { return &index{due: map[*slot]struct{}{}} }

// add puts a planned reminder into the index.
func (ix *index) add(s *slot) { heap.Push(&ix.queue, s) }

// remove takes s out of the index, wherever it is.
func (ix *index) remove(s *slot) {
	if s.pos >= 0 {
		heap.Remove(&ix.queue, s.pos)
	}
	if s.due {
		delete(ix.due, s)
		s.due = false
	}
}

// advance moves every reminder due at now from the queue to the due set.
func (ix *index) advance(now time.Time) {
	for len(ix.queue) > 0 && !ix.queue[0].r.DueAt.After(now) {
		s := heap.Pop(&ix.queue).(*slot)
		s.due = true
		ix.due[s] = struct{}{}
	}
}

// len returns the number of reminders in the index.
func (ix *index) len() int { return len(ix.queue) + len(ix.due) }

// queue is a container/heap of slots ordered by due time, then id.
type queue []*slot

func (q queue) Len() int { return len(q) }

func (q queue) Less(i, j int) bool {
	a, b := &q[i].r, &q[j].r
	if c := a.DueAt.Compare(b.DueAt); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

func (q queue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].pos, q[j].pos = i, j
}

func (q *queue) Push(x any) {
	s := x.(*slot)
	s.pos = len(*q)
	*q = append(*q, s)
}

func (q *queue) Pop() any {
	old := *q
	s := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	s.pos = -1
	return s
}
