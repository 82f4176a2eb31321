"""imagegen: compose uploaded images into stills and animations from one plain-English prompt.

The engine is importable without Streamlit; only :mod:`imagegen.ui` imports it. The map::

    app.py              page config, st.navigation over pages/, session glue, the sweeper
    pages/              images.py, compose.py, batch.py, help.py: thin, widgets + calls into imagegen
    imagegen/           the engine; its folders are the pipeline, imports only go down (tests/test_architecture.py)
      errors.py limits.py   base: error values users can act on; every limit in one place
      memory.py         base: the C allocator keeps freed per-frame temporaries (set once by render/)
      store/            upload -> validated asset -> tag map
        session.py        id -> folder, manifest, lock, TTL sweep;  images.py  decode + validate uploads
        assets.py         add/remove/tag images, the tag map;  tags.py  tag rules
        cleanup.py        knock out a plain background, flat-border check, trim
      scene.py          the contract: frozen, JSON-serialisable dataclasses (imports nothing from the engine)
      prompt/           prompt + tag map -> Scene, and back to words
        vocabulary.py     the one table of words;  meanings.py  the typed value of each row
        lexer.py phrases.py words.py clauses.py   text -> tokens -> matched phrases -> clauses/segments
        interpret.py motions.py canvas_colours.py facts.py   segment -> facts (one handler per meaning type)
        build.py result.py limits.py   facts -> Scene + warnings;  explain.py  Scene -> lines;  texts.py  quoted text
        sequence.py       slideshows (which images are slides, their times) and seamless loops
        colours.py examples.py   colour values and names; example prompts for a session's images
      render/           Scene + images -> frames (never reads prompts)
        plan.py sources.py layout.py placement.py   load once, fit, place, static base
        motion.py easing.py   one MotionRecord per kind; easing curves
        sprites.py compose.py checks.py   per-frame sprites, dirty-box compositing, limit checks
        treatments.py     shape masks, borders, shadows on any RGBA sprite
        text.py fonts.py  text layers -> sprites (fit, wrap, scripts, RTL, stroke/shadow/banner); the fonts
        slides.py         slideshow backdrops: a slide decoded when shown, scaled once; transitions
      fonts/            vendored OFL fonts (Noto Sans Hebrew, Noto Sans Mono) with OFL.txt
      export/           frames -> files
        formats.py        one FormatRecord per output format;  writers.py  export() for each
        gif.py palette.py apng.py boxes.py   encoders;  naming.py archive.py atomic.py  names, ZIP, atomic writes
        drift.py          how far a GIF's tiles drifted from what was drawn (the redraw decision)
        lzw.py            a GIF frame's LZW in a worker thread, written in order
        ahead.py          frames rendered in a thread while the encoder works (any animated format)
        thumbs.py         a small PNG of an output's first frame (the History)
      render_queue.py   at most one render per core, the others wait in arrival order
      outputs.py        the one service the UI and CLI call: prompt -> file in the session (one per size: sizes.py)
      sizes.py          one design, many sizes: the vocabulary's canvas presets, a Scene re-sized to each
      edits.py          follow-up edits: Scene x instruction -> Scene, and the difference in words
      batch/            CSV rows -> files: inputs.py (folder, safe ZIP, session images)  recipe.py (CSV, template,
                        row checks -> jobs)  run.py (local pool or Dask -> ZIP + manifest)
      cli.py __main__.py  python -m imagegen render|explain|batch
      ui/               the only Streamlit importer: compose.py history.py library.py guide.py sidebar.py
                        state.py sizes.py (several sizes) batch.py (the Batch page) refine.py (Change it)
                        memory.py (what a tab leaves in memory)
"""

from imagegen.errors import ImagegenError

__all__ = ["ImagegenError"]
