// Package main is a small Go library exported to C with -buildmode=c-shared: the kinds of
// functions a real binding needs (numbers, strings with an explicit free, structs, callbacks).
package main

/*
#include <stdint.h>
#include <stdlib.h>

typedef struct {
	double x;
	double y;
} golib_point;

// A C function pointer the caller passes in; Go cannot call one directly, so this
// trampoline (in the preamble, hence also in the generated header) does it.
typedef int64_t (*golib_visit)(int64_t value, void *user_data);

static inline int64_t golib_call_visit(golib_visit visit, int64_t value, void *user_data) {
	return visit(value, user_data);
}
*/
import "C"

import (
	"strings"
	"unsafe"
)

//export Add
func Add(a, b C.int64_t) C.int64_t {
	return a + b
}

// Greet returns a new C string; the caller releases it with FreeString.
//
//export Greet
func Greet(name *C.char) *C.char {
	return C.CString("hello, " + strings.TrimSpace(C.GoString(name)))
}

//export FreeString
func FreeString(s *C.char) {
	C.free(unsafe.Pointer(s))
}

//export Midpoint
func Midpoint(a, b C.golib_point) C.golib_point {
	return C.golib_point{x: (a.x + b.x) / 2, y: (a.y + b.y) / 2}
}

// SumMapped calls visit on 1..n and returns the sum of what it returns.
//
//export SumMapped
func SumMapped(n C.int64_t, visit C.golib_visit, userData unsafe.Pointer) C.int64_t {
	var sum C.int64_t
	for i := C.int64_t(1); i <= n; i++ {
		sum += C.golib_call_visit(visit, i, userData)
	}
	return sum
}

func main() {}
