/* <intransit/fiu_gate.h>: what a mail store written in C needs so that
 * intransit's gate drives it through libfiu (store/fiu_gate.h is the C++
 * side). Installed with intransit; found by `find_package(intransit)`
 * (target intransit::fiu_gate) or `pkg-config --cflags --libs intransit`.
 *
 *   #include <intransit/fiu_gate.h>
 *
 *   int store_flag(struct store* s) {
 *     fiu_return_on(INTRANSIT_POINT("flag"), -1);   // fail the step when told to
 *     if (intransit_failinfo() & INTRANSIT_FIU_AFTER) ...
 *     ...
 *   }
 *
 * The store knows nothing else of intransit: with fiu_gate's points enabled
 * (InstallFiuGate), each fault point parks the calling actor at the gate, and
 * a failed point's fiu_failinfo() says how it failed. The values must equal
 * FiuGateInfo in store/fiu_gate.h (a test checks). */
#ifndef INTRANSIT_FIU_GATE_H_
#define INTRANSIT_FIU_GATE_H_

#ifndef FIU_ENABLE
#define FIU_ENABLE 1 /* libfiu's macros compile to nothing without it */
#endif
#include <fiu.h>

/* The libfiu name of intransit point `name` (a string literal). */
#define INTRANSIT_POINT(name) "intransit/" name

/* fiu_failinfo() after a point failed: how the step fails. */
#define INTRANSIT_FIU_TEMPFAIL 1L
#define INTRANSIT_FIU_PERMFAIL 2L
#define INTRANSIT_FIU_IO 3L
#define INTRANSIT_FIU_CRASH 4L
/* Or-ed in: the step should run, then report failure. */
#define INTRANSIT_FIU_AFTER 16L

/* fiu_failinfo() as the number the constants above name. */
#define intransit_failinfo() ((long)(fiu_failinfo()))

#endif /* INTRANSIT_FIU_GATE_H_ */
