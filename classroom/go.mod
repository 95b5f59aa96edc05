module iomodels/classroom

go 1.26.0
