// qrSvg draws a QR code of text as an SVG element: one path of unit
// squares on a white background with the 4-module quiet zone readers need.
import { generate, correction } from 'lean-qr'

const svgNS = 'http://www.w3.org/2000/svg'
const quiet = 4

// qrPath returns the path data and the size in modules (quiet zone
// included) of the QR code of text.
export function qrPath (text) {
  const code = generate(text, { minCorrectionLevel: correction.M })
  const parts = []
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (code.get(x, y)) parts.push(`M${x + quiet} ${y + quiet}h1v1h-1z`)
    }
  }
  return { d: parts.join(''), size: code.size + 2 * quiet }
}

export function qrSvg (text, label) {
  const { d, size } = qrPath(text)
  const svg = document.createElementNS(svgNS, 'svg')
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`)
  svg.setAttribute('class', 'qr')
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-label', label)
  svg.setAttribute('shape-rendering', 'crispEdges')
  const bg = document.createElementNS(svgNS, 'rect')
  bg.setAttribute('width', String(size))
  bg.setAttribute('height', String(size))
  bg.setAttribute('fill', '#fff')
  const path = document.createElementNS(svgNS, 'path')
  path.setAttribute('d', d)
  path.setAttribute('fill', '#000')
  svg.append(bg, path)
  return svg
}
