package main

import "fmt"

// gapText is the reference text a diverging replay is compared against: a
// gap buffer of code points, so that a trace's local typing costs little
// even when the text is checked after every patch.
type gapText struct {
	buf          []rune
	gapLo, gapHi int // buf[gapLo:gapHi] is the gap
}

func (g *gapText) Len() int { return len(g.buf) - (g.gapHi - g.gapLo) }

func (g *gapText) String() string {
	return string(g.buf[:g.gapLo]) + string(g.buf[g.gapHi:])
}

// moveGap puts the gap at code point pos.
func (g *gapText) moveGap(pos int) {
	switch {
	case pos < g.gapLo:
		n := g.gapLo - pos
		copy(g.buf[g.gapHi-n:g.gapHi], g.buf[pos:g.gapLo])
		g.gapLo, g.gapHi = pos, g.gapHi-n
	case pos > g.gapLo:
		n := pos - g.gapLo
		copy(g.buf[g.gapLo:g.gapLo+n], g.buf[g.gapHi:g.gapHi+n])
		g.gapLo, g.gapHi = pos, g.gapHi+n
	}
}

// splice applies a patch, refusing one that reaches past the end.
func (g *gapText) splice(p patch) error {
	if p.Pos+p.Del > g.Len() {
		return fmt.Errorf("crdtbench: patch [%d,%d,…] reaches past the end of a text of %d code points", p.Pos, p.Del, g.Len())
	}
	g.moveGap(p.Pos)
	g.gapHi += p.Del
	ins := []rune(p.Ins)
	if len(ins) > g.gapHi-g.gapLo {
		g.grow(len(ins))
	}
	copy(g.buf[g.gapLo:], ins)
	g.gapLo += len(ins)
	return nil
}

func (g *gapText) grow(need int) {
	size := max(2*len(g.buf), len(g.buf)+need, 64)
	nb := make([]rune, size)
	copy(nb, g.buf[:g.gapLo])
	tail := len(g.buf) - g.gapHi
	copy(nb[size-tail:], g.buf[g.gapHi:])
	g.buf, g.gapHi = nb, size-tail
}
