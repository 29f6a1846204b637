module github.com/commonpad/commonpad

go 1.26
