"""Structural and filler words: how sentences are glued together, not what they ask for.

``FILLER`` words are deliberately *not* vocabulary: they carry no instruction and are ignored without a
warning; any other unmatched word is reported as not understood. A test checks that no filler word is also a
vocabulary word (nothing is listed twice). ``CONNECTIVES`` and ``CANVAS_NOUNS`` are the other way round:
vocabulary words (a test checks) that, left over outside every phrase, still ask for nothing.
"""

from __future__ import annotations

#: Words that end one clause and start the next ("… in the center, and @BG as background").
CLAUSE_WORDS = frozenset({"and", "while", "whilst", "with", "then", "but", "also", "plus", "meanwhile"})
#: Clause words (and openers) that mean "after that" — motions after them run later in the timeline.
SEQUENCE_WORDS = frozenset({"then", "afterwards", "finally", "after", "later"})
#: Words that point back at the previous tag.
PRONOUNS = frozenset({"it", "its", "it's", "they", "them", "their", "this", "that"})
#: Words that make a tag-less clause about every image named so far ("…, both slowly", "all smoothly").
PLURALS = frozenset({"both", "all", "everything", "each", "every", "everyone"})
#: Words that turn a motion around: "doesn't spin", "isn't moving", "without shaking".
NEGATIONS = frozenset({"not", "no", "never", "without", "don't", "doesn't", "isn't", "shouldn't", "won't", "mustn't"})
#: Words before an image's name that make it a reference to that image ("below the logo" is "below @logo").
DETERMINERS = frozenset({"the", "this", "that"})
#: Words that may sit inside a vocabulary phrase without breaking it ("covers the whole canvas").
PHRASE_FILLER = frozenset({"the", "a", "an", "whole", "entire", "its", "their"})
#: Words before "background" that make it a place, not a role ("a logo on the background").
PLACE_PREPOSITIONS = frozenset({"of", "on", "onto", "over", "against", "across", "into", "upon", "behind"})
#: Words next to which a misspelt word may be a colour ("in bule", "bleu background"); elsewhere a colour is
#: never suggested ("@logo blur" is no "blue").
COLOUR_CONTEXT = frozenset(
    {"in", "on", "of", "background", "bg", "colour", "color", "outline", "border", "banner", "text", "shadow", "and"}
)
#: Words allowed between a colour and the word that makes it the canvas colour ("background is red").
COLOUR_LINKS = frozenset({"of", "is", "to", "in", "be", "as", "set", "=", ":"})

#: Vocabulary words that only join a phrase's parts ("to", "than", "per"), stand for something said elsewhere
#: ("other", "there"), only strengthen the next word ("very", "extra"), are read by a rule of their own
#: ("corners": each image its corner), name the output's kind as "gif" does ("an animated banner": its motions
#: make it one) or are a unit's letter ("4k", "1080p", "3 s", "1080 x 1920"). Left over
#: outside every phrase they ask for nothing and pass in silence; any other vocabulary word left over is named
#: with the phrases that use it (:mod:`.interpret`).
CONNECTIVES = frozenset(
    {
        "again", "an", "another", "around", "as", "at", "away", "by", "do", "does", "down", "else",
        "extra", "from", "fully", "in", "only", "other", "others", "out", "off", "onto", "over", "per",
        "than", "the", "there", "through", "to", "toward", "towards", "ultra", "up", "very", "way",
        "corners", "animation", "animated", "k", "p", "s", "w", "x",
    }
)  # fmt: skip
#: Words for the canvas itself: after "of", "on", "off" … ("the top of the screen") they add nothing.
CANVAS_NOUNS = frozenset({"screen", "frame", "canvas"})

_FILLER_TEXT = """
    a while whilst but plus meanwhile afterwards finally i me my we us our you your its it's they their
    this that these those here which who whom what where when how is are be been being was were am
    should shall will would could can must may might did done please kindly just really slightly bit
    some any both for within inside during lasting last lasts duration length long total about near
    like place placed places placing puts putting set sets setting make makes  making made
    shows showing shown display displays displayed add adds added adding use uses using used create
    creates creating keep keeps kept have has having let let's want wants need needs sits sit sitting
    positioned position located locate go goes going get gets give gives apply applied render rendered
    output image images picture pictures photo photos logo logos product products graphic graphics icon
    icons text title video gif clip design layout composition scene layer layers element elements
    item items things area part spot format dimensions dimension resolution pixel overall whole entire
    new final nice good beautiful clean simple brand image's it'd everything's animate
    every everyone isn't shouldn't won't mustn't never later stop stops stopping stopped land lands landing settle
    settles settling rests end ends ending stick sticks slap slaps plonk i'd we'd i'll we'll you'd
    letters letter lettering fairly quite rather too pretty somewhat even much lot
"""
FILLER = frozenset(_FILLER_TEXT.split())
