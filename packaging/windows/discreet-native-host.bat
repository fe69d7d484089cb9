@echo off
rem Native-messaging host: Chrome, Edge and Firefox start it only for the extension IDs in its
rem manifest; it hands the extension this user's service address and token.
"%~dp0discreet.exe" native-host %*
