/* The C store: see c_store.h. */
#include "c_store.h"

#include <fiu-local.h>
#include <fiu.h>
#include <string.h>

void c_store_reset(struct c_store* s, int preexisting) {
  int i;
  memset(s, 0, sizeof *s);
  s->src.exists = 1;
  for (i = 0; i < preexisting; i++) s->src.inbox[s->src.n_inbox++] = 1000 + i;
}

int c_store_move(struct c_store* s) {
  fiu_return_on("intransit/create", -1);
  s->dst.exists = 1;
  s->forwarding = 1;

  fiu_return_on("intransit/flag", -1);
  s->dst.in_transit = 1;

  /* The new mailbox "must" be empty: the copy writes it over. */
  fiu_return_on("intransit/copy", -1);
  memcpy(s->dst.inbox, s->src.inbox, sizeof s->src.inbox);
  s->dst.n_inbox = s->src.n_inbox;

  fiu_return_on("intransit/route", -1);
  s->home_is_dst = 1;

  fiu_return_on("intransit/unflag", -1);
  s->dst.in_transit = 0;

  fiu_return_on("intransit/flush", -1);
  memcpy(s->dst.inbox + s->dst.n_inbox, s->dst.transit, sizeof(int) * (size_t)s->dst.n_transit);
  s->dst.n_inbox += s->dst.n_transit;
  s->dst.n_transit = 0;

  fiu_return_on("intransit/cleanup", -1);
  s->src.exists = 0;
  s->src.n_inbox = 0;
  s->forwarding = 0;
  return 0;
}

int c_store_deliver(struct c_store* s, int message) {
  struct c_mailbox* m;
  fiu_return_on("intransit/deliver", -1);
  m = (s->home_is_dst || s->forwarding) ? &s->dst : &s->src;
  if (!m->exists) return -1;
  if (m->in_transit) {
    m->transit[m->n_transit++] = message;
  } else {
    m->inbox[m->n_inbox++] = message;
  }
  return 0;
}
