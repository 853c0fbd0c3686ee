// exhaustive with reduction: see dpor_strategy.h.
#include "explore/dpor_strategy.h"

#include <algorithm>
#include <climits>

namespace intransit {
namespace {

uint64_t Bit(int actor) { return uint64_t{1} << actor; }

}  // namespace

DporStrategy::DporStrategy(int actors) : actors_(actors), first_seq_(actors) {}

bool DporStrategy::BeginSchedule(uint64_t) {
  pos_ = 0;
  step_ = 0;
  foreign_ = false;
  reached_split_ = false;
  blocked_now_ = false;
  return !done_ && error_.ok();
}

void DporStrategy::Fail(const std::string& what) {
  if (!error_.ok()) return;
  error_ = Status::Infra("the store is not deterministic: replaying the same choices, " + what +
                         " (exhaustive reduces only over a store that does the same given the "
                         "same schedule; run it with reduction = \"none\")");
}

bool DporStrategy::Asleep(const Node& n, int actor) const {
  for (const auto& [a, fp] : n.sleep) {
    if (a == actor) return true;
  }
  return false;
}

bool DporStrategy::HappensBefore(int x, int y) const {
  return nodes_[y].clock[nodes_[x].actor] >= nodes_[x].seq;
}

int DporStrategy::ChooseStep(const std::vector<int>& options) {
  const int k = step_++;
  if (pos_ < frames_.size()) {
    // Replaying the prefix: the same node must come up, with the same actors.
    const Frame& f = frames_[pos_];
    if (f.fire || f.node != k) {
      Fail("step " + std::to_string(k + 1) + " came where a fire choice was made before");
      return options[0];
    }
    Node& n = nodes_[k];
    if (n.order != options) {
      Fail("other actors could take step " + std::to_string(k + 1) + " than before");
      return options[0];
    }
    ++pos_;
    if (n.branching == kSplitDepth && !n.top && (k == 0 || nodes_[k - 1].top)) {
      reached_split_ = true;
    }
    return n.actor;
  }

  // A new node.
  Node n;
  n.order = options;
  for (int a : options) n.enabled |= Bit(a);
  if (k > 0) {
    const Node& parent = nodes_[k - 1];
    n.branching = parent.branching + (parent.order.size() > 1 ? 1 : 0);
    // What slept at the parent, or was explored there, sleeps on here if it
    // commutes with the step the parent just ran.
    for (const auto& [a, fp] : parent.sleep) {
      if (!fp.Conflicts(parent.fp)) n.sleep.emplace_back(a, fp);
    }
  }
  n.top = n.branching < kSplitDepth;
  if (!n.top && (k == 0 || nodes_[k - 1].top)) {
    // The first node of a subtree: whose is it?
    reached_split_ = true;
    ++subtrees_;
    foreign_ = shards_ > 1 &&
               (subtrees_ - 1) % static_cast<uint64_t>(shards_) != static_cast<uint64_t>(shard_);
    if (foreign_) return options[0];
  }
  int first = -1;
  for (int a : options) {
    if (Asleep(n, a)) continue;
    if (first < 0) first = a;
    n.backtrack |= Bit(a);
    if (!n.top) break;  // below the split, races add the rest
  }
  if (first < 0) {
    blocked_now_ = true;
    // Above the split every shard runs the same schedules: a run blocked
    // there is counted once, by shard 0 (as a schedule too short to reach
    // the split is shard 0's); below it, only the owner runs the subtree.
    if (reached_split_ || shard_ == 0) ++blocked_;
    return options[0];
  }
  n.actor = first;
  n.clock.assign(static_cast<size_t>(actors_), 0);
  nodes_.push_back(std::move(n));
  frames_.push_back({false, first, k});
  ++pos_;
  return first;
}

bool DporStrategy::ChooseFire(double) {
  if (pos_ < frames_.size()) {
    const Frame& f = frames_[pos_];
    if (!f.fire) {
      Fail("a fire choice came where step " + std::to_string(f.node + 1) + " was taken before");
      return true;
    }
    ++pos_;
    return f.value == 0;
  }
  frames_.push_back({true, 0, step_ - 1});
  ++pos_;
  return true;
}

void DporStrategy::StepDone(const Footprint& footprint) {
  const int j = step_ - 1;
  Node& n = nodes_[j];
  if (pos_ <= diverge_) {
    // Every choice up to here replayed: the step must touch what it did.
    if (!(n.fp == footprint)) {
      Fail("step " + std::to_string(j + 1) + " touched other objects than before");
    }
    return;
  }
  n.fp = footprint;
  n.variants.AddAll(footprint);

  // Its clock: its actor's previous event, joined with every earlier
  // dependent event; those not already ordered before it by another are
  // races (scanned latest first, so the join so far holds every later one).
  const int a = n.actor;
  std::vector<int>& clock = n.clock;
  std::fill(clock.begin(), clock.end(), 0);
  int seq = 1;
  for (int i = j - 1; i >= 0; --i) {
    if (nodes_[i].actor == a) {
      clock = nodes_[i].clock;
      seq = nodes_[i].seq + 1;
      break;
    }
  }
  races_.clear();
  for (int i = j - 1; i >= 0; --i) {
    const Node& e = nodes_[i];
    if (e.actor == a || !e.fp.Conflicts(footprint)) continue;
    if (clock[e.actor] < e.seq) races_.push_back(i);
    for (int x = 0; x < actors_; ++x) clock[x] = std::max(clock[x], e.clock[x]);
  }
  clock[a] = seq;
  n.seq = seq;
  for (int i : races_) Reverse(i, j);
}

void DporStrategy::Reverse(int i, int j) {
  Node& ni = nodes_[i];
  if (ni.top) return;  // branched fully anyway
  // v: the events after i not ordered after it, then j. Its initials are
  // the actors whose first event in v has no v event before it.
  v_.clear();
  for (int k = i + 1; k < j; ++k) {
    if (!HappensBefore(i, k)) v_.push_back(k);
  }
  v_.push_back(j);
  std::fill(first_seq_.begin(), first_seq_.end(), INT_MAX);
  uint64_t seen = 0;
  uint64_t initials = 0;
  int first_initial = -1;
  for (int k : v_) {
    const Node& e = nodes_[k];
    if (seen & Bit(e.actor)) continue;
    bool initial = true;
    for (int x = 0; x < actors_ && initial; ++x) {
      // A v event of actor x happens before k iff the first one does.
      if (first_seq_[x] != INT_MAX && e.clock[x] >= first_seq_[x]) initial = false;
    }
    seen |= Bit(e.actor);
    first_seq_[e.actor] = e.seq;
    if (!initial) continue;
    initials |= Bit(e.actor);
    if (first_initial < 0 && (ni.enabled & Bit(e.actor))) first_initial = e.actor;
  }
  if (initials & ni.backtrack) return;
  if (first_initial >= 0) {
    ni.backtrack |= Bit(first_initial);
  } else {
    ni.backtrack |= ni.enabled;
  }
}

void DporStrategy::EndSchedule() {
  if (!error_.ok()) {
    done_ = true;
    return;
  }
  // A run stopped early (sleep-blocked, another shard's) consumed every
  // replayed frame: it only stopped at a new node, which was not kept.
  frames_.resize(std::min(frames_.size(), pos_));
  while (!frames_.empty()) {
    Frame& f = frames_.back();
    if (f.fire) {
      if (f.value == 0) {
        f.value = 1;
        diverge_ = frames_.size() - 1;
        nodes_.resize(static_cast<size_t>(f.node + 1));
        return;
      }
      frames_.pop_back();
      continue;
    }
    Node& n = nodes_[f.node];
    // Every variant of this actor's step here was explored: it sleeps.
    n.sleep.emplace_back(n.actor, n.variants);
    int next = -1;
    for (int a : n.order) {
      if ((n.backtrack & Bit(a)) && !Asleep(n, a)) {
        next = a;
        break;
      }
    }
    if (next >= 0) {
      n.actor = next;
      n.variants.Clear();
      f.value = next;
      diverge_ = frames_.size() - 1;
      nodes_.resize(static_cast<size_t>(f.node + 1));
      return;
    }
    nodes_.resize(static_cast<size_t>(f.node));
    frames_.pop_back();
  }
  done_ = true;
}

double DporStrategy::progress() const {
  if (done_) return 1;
  double fraction = 0, scale = 1;
  for (const Frame& f : frames_) {
    int index = f.value, count = 2;
    if (!f.fire) {
      const Node& n = nodes_[f.node];
      count = static_cast<int>(n.order.size());
      index = static_cast<int>(std::find(n.order.begin(), n.order.end(), f.value) - n.order.begin());
    }
    scale /= count;
    fraction += index * scale;
  }
  return fraction;
}

}  // namespace intransit
