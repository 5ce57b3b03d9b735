"""Face verification: the reference from the document photo, quality gates with plain
guidance, a randomised liveness challenge judged on landmark tracks, and the match.

The dlib work runs in a spawned child process (`devices.face.process`); this package's
top level imports neither dlib nor face_recognition.
"""
