// Contrast between two #rrggbb colours, as WCAG 2 defines it, for text
// drawn on colours that arrive at run time (carets of other clients).

function channel (v) {
  const c = v / 255
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

// luminance is the relative luminance of a #rrggbb colour.
export function luminance (hex) {
  const n = parseInt(hex.slice(1), 16)
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
}

// contrastRatio is between 1 (same colour) and 21 (black on white).
export function contrastRatio (a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

// textOn picks white or black text, whichever reads better on hex.
export function textOn (hex) {
  return contrastRatio(hex, '#ffffff') >= contrastRatio(hex, '#000000') ? '#ffffff' : '#000000'
}
