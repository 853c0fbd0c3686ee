// The --adapter and --set overrides. See overrides.h.
#include "suite/overrides.h"

#include <string>
#include <string_view>
#include <vector>

#include "base/params.h"

namespace intransit::loader_internal {
namespace {

std::vector<std::string> Quoted(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back("[" + n + "]");
  return out;
}

const std::vector<std::string> kSettableTables = {"suite", "adapter", "explore", "oracle"};

}  // namespace

Status ApplyOverrides(const LoadOptions& options, toml::table* doc, TomlReader* reader) {
  if (!options.adapter.empty()) {
    std::string origin = "--adapter " + options.adapter;
    toml::node* existing = doc->get("adapter");
    if (existing != nullptr && !existing->is_table()) {
      return reader->Fail(*existing, "'adapter' must be a table ([adapter]), not " +
                                         std::string(NodeTypeName(*existing)));
    }
    toml::table* adapter =
        existing != nullptr
            ? existing->as_table()
            : doc->insert_or_assign("adapter", toml::table{}).first->second.as_table();
    const toml::node* old = adapter->get("name");
    bool changes =
        old == nullptr || !old->is_string() || old->as_string()->get() != options.adapter;
    // The file's variant and options were written for its own adapter; an
    // adapter with no name in the file keeps them (they were meant for this one).
    if (changes && old != nullptr) {
      adapter->clear();
    }
    auto it = adapter->insert_or_assign("name", options.adapter).first;
    reader->MarkOrigin(it->second, origin);
  }

  for (const std::string& word : options.sets) {
    std::string origin = "--set " + word;
    size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return reader->Fail(origin, "expected KEY=VALUE, e.g. explore.seed=7");
    }
    std::string key = word.substr(0, eq);
    std::string value = word.substr(eq + 1);
    size_t dot = key.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == key.size() ||
        key.find('.', dot + 1) != std::string::npos) {
      return reader->Fail(origin, "KEY must be TABLE.KEY with TABLE one of " +
                                      JoinAlternatives(kSettableTables) + ", e.g. explore.seed");
    }
    std::string table_name = key.substr(0, dot);
    std::string leaf = key.substr(dot + 1);
    if (!Contains(kSettableTables, table_name)) {
      return reader->Fail(origin, "table [" + table_name + "] cannot be set; settable: " +
                                      JoinAlternatives(Quoted(kSettableTables)));
    }
    toml::node* existing = doc->get(table_name);
    if (existing != nullptr && !existing->is_table()) {
      return reader->Fail(*existing, "'" + table_name + "' must be a table ([" + table_name +
                                         "]), not " + NodeTypeName(*existing));
    }
    toml::table* table =
        existing != nullptr
            ? existing->as_table()
            : doc->insert_or_assign(table_name, toml::table{}).first->second.as_table();
    // A TOML value when VALUE is one (7, true, "x", [1, 2]); else the plain text.
    bool parsed = false;
    try {
      toml::table holder = toml::parse(std::string_view("v = " + value), std::string_view(origin));
      if (toml::node* v = holder.get("v")) {
        v->visit([&](auto&& n) { table->insert_or_assign(leaf, std::move(n)); });
        parsed = true;
      }
    } catch (const toml::parse_error&) {
    }
    if (!parsed) table->insert_or_assign(leaf, value);
    reader->MarkOrigin(*table->get(leaf), origin);
  }
  return Status::Ok();
}

}  // namespace intransit::loader_internal
