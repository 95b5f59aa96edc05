module iomodels/03-thread-per-conn

go 1.26.0

require (
	github.com/google/go-cmdtest v0.4.0
	golang.org/x/sys v0.49.0
)

require (
	github.com/google/go-cmp v0.3.1 // indirect
	github.com/google/renameio v0.1.0 // indirect
)
