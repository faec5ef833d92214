//go:build tools

// Package tools pins etcd's main package so `go mod tidy` keeps its
// dependencies in this wrapper's go.sum.
package tools

import _ "go.etcd.io/etcd/server/v3"
