"""Charts drawn on the server as inline SVG: they print, work without JavaScript and scale to a
phone (a viewBox, drawn at the width of their column). Every label is escaped. Colours come from
the Okabe-Ito palette, which readers with the common colour-vision deficiencies can tell apart,
and wherever a colour means something a pattern and a legend say it too.

Each chart starts with a <title> (named by aria-labelledby) and a <desc>. Charts without links
are one image (role="img"); the timeline and the network, whose bars and nodes link to their
pages, are graphics documents (role="graphics-document"), since an image may not contain links.
Those links stay out of the tab order: the table beside each chart has the same links for
keyboard users, without hundreds of tab stops.

Every drawn item is one element of class "mark": a bar, a bar segment, a matrix cell, a node.

svg.py draws the elements, colours and legends; bars.py, timeline.py and network.py the charts."""
