"""Document scanning from the document camera: find the page, straighten it, check it
can be read (blur, glare, size), and hand it over as JPEG or PDF for a submission."""
