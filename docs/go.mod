module iomodels/docs

go 1.26.0
