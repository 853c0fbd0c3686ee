/* A tiny mail store written in C, instrumented with libfiu only: the
 * pre-SP4 MoveUser of the reference adapter, step for step, each step
 * behind fiu_return_on("intransit/<point>", -1). It knows nothing of
 * intransit; the test drives it through the gate. */
#ifndef INTRANSIT_TESTS_C_STORE_H_
#define INTRANSIT_TESTS_C_STORE_H_

#ifdef __cplusplus
extern "C" {
#endif

#define C_STORE_MAX 16

struct c_mailbox {
  int exists;
  int in_transit;
  int inbox[C_STORE_MAX];
  int n_inbox;
  int transit[C_STORE_MAX];
  int n_transit;
};

struct c_store {
  struct c_mailbox src, dst;
  int home_is_dst;  /* the directory */
  int forwarding;   /* src forwards new mail to the new mailbox */
};

void c_store_reset(struct c_store* s, int preexisting);
/* 0 on success, -1 when a step failed (libfiu said so). */
int c_store_move(struct c_store* s);
/* 0 accepted, -1 refused (tempfail). */
int c_store_deliver(struct c_store* s, int message);

#ifdef __cplusplus
}
#endif

#endif
