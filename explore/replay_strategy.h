// replay: follows the choices of a token, once. Past the token's end it
// takes the default option (tokens drop trailing defaults). A value that is
// not among the options, or choices left over when the schedule ends, mean
// the token was made for another suite (or edited): error() says where.
#pragma once

#include "run/strategy.h"

namespace intransit {

class ReplayStrategy : public Strategy {
 public:
  // `lenient`: a value that is not among the options takes the default
  // instead of failing (the shrinker edits schedules and replays them).
  explicit ReplayStrategy(std::vector<int> values, bool lenient = false)
      : values_(std::move(values)), lenient_(lenient) {}

  bool BeginSchedule(uint64_t index) override { return index == 0; }
  int ChooseActor(const std::vector<int>& options, int step, bool first_continues,
                  int preemptions) override;
  bool ChooseFire(double probability) override;
  // Choices left unread are a mismatch (unless lenient): error() names the first.
  void EndSchedule() override;
  bool complete() const override { return ended_; }
  Status error() const override { return error_; }

 private:
  std::vector<int> values_;
  bool lenient_;
  size_t next_ = 0;
  bool ended_ = false;
  Status error_;
};

}  // namespace intransit
