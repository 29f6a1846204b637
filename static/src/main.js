// Entry point: the Go handler serves one page shell for every view and
// says which one in <body data-view data-pad data-base>.
import './app.css'
import { startHome } from './home.js'
import { startPad } from './pad.js'
import { startPostit } from './postit.js'

const root = document.getElementById('app')
const { view = 'home', pad = '', base = '' } = document.body.dataset
const origin = base || window.location.origin

if (view === 'home') startHome({ root })
else if (view === 'postit') startPostit({ root, id: pad })
else startPad({ root, view, id: pad, base: origin })
