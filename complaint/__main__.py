from complaint.cli import main

main()
